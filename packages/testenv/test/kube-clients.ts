// Shared by the testenv integration suites: clients for the cluster the jest global setup provides.
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { waitFor } from '../src/wait.ts';

export interface KubeClients {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  discovery: DiscoveryV1Api;
}

export function kubeClients(): KubeClients {
  const path = process.env.KUBECONFIG;
  if (!path) throw new Error('KUBECONFIG is not set; the integration project runs packages/testenv global setup');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    discovery: kubeConfig.makeApiClient(DiscoveryV1Api),
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

/** Status code of a failed API call, for assertions such as "rejected with 422". */
export async function apiErrorCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    if (error instanceof ApiException) return error.code;
    throw error;
  }
}

export async function createNamespace(clients: KubeClients, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await clients.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

/** Deletes a namespace and waits until it is gone, which needs namespace-controller and kwok's pod-delete stage. */
export async function deleteNamespaceAndWait(clients: KubeClients, name: string, timeoutMs = 60_000): Promise<void> {
  await clients.core.deleteNamespace({ name });
  await waitFor(
    `namespace ${name} deleted`,
    async () => {
      try {
        await clients.core.readNamespace({ name });
        return undefined;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    },
    { timeoutMs, intervalMs: 100 },
  );
}
