import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminClient } from './admin-client.ts';
import { httpRequest, type ProbeResult } from './http.ts';
import type { Pki } from './pki.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';
import { waitFor } from './wait.ts';

export interface ApiserverOptions {
  executable: string;
  runDir: string;
  port: number;
  etcdUrl: string;
  pki: Pki;
  /**
   * A real node joins (`up --real-node`): Node authorization and ServiceAccount token admission on, plus `extraArgs`
   * (flags the defaults below do not set).
   */
  realNode?: { extraArgs: readonly string[] };
}

export function apiserverUrl(port: number): string {
  return `https://127.0.0.1:${port}`;
}

/** kube-apiserver with the recipe's section 3.1 flag set; comments say why the non-obvious ones are there. */
export function startApiserver(options: ApiserverOptions): SpawnedProcess {
  const { pki } = options;
  const certDir = join(options.runDir, 'apiserver-certs');
  mkdirSync(certDir, { recursive: true });
  return spawnComponent({
    component: 'kube-apiserver',
    executable: options.executable,
    args: [
      `--etcd-servers=${options.etcdUrl}`,
      // Without an explicit address the apiserver looks for a default-route interface; a sandbox may have none.
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${options.port}`,
      `--tls-cert-file=${pki.apiserverCert}`,
      `--tls-private-key-file=${pki.apiserverKey}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      options.realNode ? '--authorization-mode=Node,RBAC' : '--authorization-mode=RBAC',
      // ServiceAccount: kwok's pods need no token (only a real node's kubelet mounts one). TaintNodesByCondition:
      // would taint the fake node not-ready, and only node-lifecycle-controller removes that taint.
      `--disable-admission-plugins=${options.realNode ? '' : 'ServiceAccount,'}TaintNodesByCondition`,
      '--allow-privileged=true',
      // The default/kubernetes Endpoints would get 127.0.0.1, which Endpoints validation rejects as loopback.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${certDir}`,
      ...(options.realNode?.extraArgs ?? []),
      '--v=1',
    ],
    logFile: join(options.runDir, 'logs', 'kube-apiserver.log'),
  });
}

/** Probes /readyz with the admin cert (an anonymous probe gets 403 until RBAC bootstrap); `?verbose` names failing checks. */
export function waitForApiserver(apiserver: SpawnedProcess, admin: AdminClient, timeoutMs = 90_000): Promise<void> {
  return waitForComponentReady(
    apiserver,
    async (): Promise<ProbeResult> => {
      try {
        const res = await httpRequest(`${admin.server}/readyz?verbose`, { tls: admin.tlsOptions, timeoutMs: 5_000 });
        if (res.status === 200) return { ok: true, ...res };
        const failing = res.body
          .split('\n')
          .filter((line) => line.startsWith('[-]'))
          .join(', ');
        return { ok: false, detail: `HTTP ${res.status} ${failing || res.body.trim()}` };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    timeoutMs,
    200,
  );
}

/** A post-start controller creates the system namespaces shortly after /readyz; many clients assume they exist. */
export async function waitForSystemNamespaces(admin: AdminClient, timeoutMs = 30_000): Promise<void> {
  for (const namespace of ['default', 'kube-system', 'kube-node-lease']) {
    await waitFor(
      `kube-apiserver: namespace ${namespace}`,
      async () => ((await admin.find(`/api/v1/namespaces/${namespace}`)) === undefined ? undefined : true),
      { timeoutMs, intervalMs: 100 },
    );
  }
}
