import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './http.ts';
import type { Pki } from './pki.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';

/**
 * The controllers that make Deployments and Services behave (recipe section 4.2): the Deployment → ReplicaSet → Pod
 * chain, ownerReference cascades, namespace deletion (without it a namespace stays Terminating forever), default
 * ServiceAccounts, and Endpoints/EndpointSlices behind Services.
 */
export const controllers = [
  'deployment-controller',
  'replicaset-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'pod-garbage-collector-controller',
  'endpoints-controller',
  'endpointslice-controller',
] as const;

export interface ControllerManagerOptions {
  executable: string;
  runDir: string;
  port: number;
  kubeconfig: string;
  pki: Pki;
}

export function startControllerManager(options: ControllerManagerOptions): SpawnedProcess {
  const certDir = join(options.runDir, 'kcm-certs');
  mkdirSync(certDir, { recursive: true });
  return spawnComponent({
    component: 'kube-controller-manager',
    executable: options.executable,
    args: [
      `--kubeconfig=${options.kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${options.port}`,
      `--cert-dir=${certDir}`,
      // No old Lease to wait out after a restart.
      '--leader-elect=false',
      `--controllers=${controllers.join(',')}`,
      `--service-account-private-key-file=${options.pki.serviceAccountKey}`,
      `--root-ca-file=${options.pki.caCert}`,
      // Controllers use the admin kubeconfig instead of per-controller SA tokens: faster start, no bootstrap RBAC wait.
      '--use-service-account-credentials=false',
      '--kube-api-qps=100',
      '--kube-api-burst=200',
      '--v=1',
    ],
    logFile: join(options.runDir, 'logs', 'kube-controller-manager.log'),
  });
}

/** /healthz is an always-allowed path; the serving cert is self-signed, hence no verification. */
export function waitForControllerManager(kcm: SpawnedProcess, port: number, timeoutMs = 60_000): Promise<void> {
  return waitForComponentReady(
    kcm,
    () => probe(`https://127.0.0.1:${port}/healthz`, { insecure: true }),
    timeoutMs,
    200,
  );
}
