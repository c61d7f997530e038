import { join } from 'node:path';
import type { AdminClient, KubeObject } from './admin-client.ts';
import { probe } from './http.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';
import { waitFor } from './wait.ts';

export const fakeNodeName = 'kwok-node-0';

/**
 * The fake node kwok manages. No `kwok.x-k8s.io/node=fake:NoSchedule` taint (the kwok docs add one to keep real pods
 * off fake nodes; here every pod is fake). Capacity is generous so load tests are not limited by the 110-pod default.
 */
export function fakeNode(name = fakeNodeName): KubeObject {
  const resources = { cpu: '64', memory: '256Gi', pods: '500' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: resources,
      capacity: resources,
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake' },
    },
  };
}

export async function createFakeNode(admin: AdminClient, name = fakeNodeName): Promise<void> {
  await admin.create('/api/v1/nodes', fakeNode(name));
}

export interface KwokOptions {
  executable: string;
  runDir: string;
  port: number;
  kubeconfig: string;
  /** `kustomize/stage/fast` of sigs.k8s.io/kwok in the Go module cache: node-initialize, heartbeat, pod-ready/delete. */
  stagesDir: string;
}

export function startKwok(options: KwokOptions): SpawnedProcess {
  return spawnComponent({
    component: 'kwok',
    executable: options.executable,
    args: [
      `--kubeconfig=${options.kubeconfig}`,
      // Only its own fake node: a real node (`up --real-node`) is the kubelet's.
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      // The binary has no built-in stages; without --config it exits with "no stages found".
      `--config=${options.stagesDir}`,
      '--node-lease-duration-seconds=40',
      // Pod IPs away from the service range 10.0.0.0/24 (kwok's default --cidr).
      '--cidr=10.244.0.0/16',
      '--node-ip=10.1.0.1',
      `--server-address=127.0.0.1:${options.port}`,
    ],
    logFile: join(options.runDir, 'logs', 'kwok.log'),
    // kwok reads ~/.kwok for its own config; keep it inside the run dir.
    env: { ...process.env, HOME: options.runDir },
  });
}

interface NodeStatus {
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** kwok's /healthz, then the fake node's Ready condition (set by kwok's node-initialize stage). */
export async function waitForKwok(
  kwok: SpawnedProcess,
  port: number,
  admin: AdminClient,
  timeoutMs = 60_000,
): Promise<void> {
  await waitForComponentReady(kwok, () => probe(`http://127.0.0.1:${port}/healthz`), timeoutMs, 100);
  await waitFor(
    `kwok: node ${fakeNodeName} Ready`,
    async () => {
      if (kwok.exitReason() !== undefined) throw new Error(`kwok ${kwok.exitReason()}`);
      const node = (await admin.find(`/api/v1/nodes/${fakeNodeName}`)) as NodeStatus | undefined;
      const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
      return ready?.status === 'True' ? true : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
