import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './http.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';

/** What kube-controller-manager and kube-scheduler are both started with. */
export interface KubeComponentOptions {
  executable: string;
  runDir: string;
  port: number;
  kubeconfig: string;
}

/**
 * Starts a control-plane component that talks to the apiserver through `kubeconfig` and serves /healthz on a
 * self-signed 127.0.0.1 port; `extraArgs` go between the shared flags and `--v=1`.
 */
export function startKubeComponent(
  component: 'kube-controller-manager' | 'kube-scheduler',
  certDirName: string,
  options: KubeComponentOptions,
  extraArgs: readonly string[] = [],
): SpawnedProcess {
  const certDir = join(options.runDir, certDirName);
  mkdirSync(certDir, { recursive: true });
  return spawnComponent({
    component,
    executable: options.executable,
    args: [
      `--kubeconfig=${options.kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${options.port}`,
      `--cert-dir=${certDir}`,
      // No old Lease to wait out after a restart.
      '--leader-elect=false',
      ...extraArgs,
      '--v=1',
    ],
    logFile: join(options.runDir, 'logs', `${component}.log`),
  });
}

/** /healthz is an always-allowed path; the serving cert is self-signed, hence no verification. */
export function waitForKubeComponent(spawned: SpawnedProcess, port: number, timeoutMs = 60_000): Promise<void> {
  return waitForComponentReady(
    spawned,
    () => probe(`https://127.0.0.1:${port}/healthz`, { insecure: true }),
    timeoutMs,
    200,
  );
}
