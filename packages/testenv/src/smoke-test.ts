import type { AdminClient } from './admin-client.ts';
import type { Logger } from './log.ts';
import { waitFor } from './wait.ts';

const namespace = 'default';
const name = 'testenv-smoke';

interface DeploymentStatus {
  status?: { availableReplicas?: number };
}

interface PodList {
  items: unknown[];
}

/**
 * Proves the whole chain once per `up`: deployment-controller → replicaset-controller → scheduler → kwok pod-ready
 * → Deployment Available; then a cascading delete exercises the garbage collector and kwok's pod-delete stage.
 * (Deleting a namespace would also cover namespace-controller, but costs ~5 s; the integration tests cover it.)
 */
export async function runSmokeTest(admin: AdminClient, log: Logger, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  const labels = { app: name };
  await admin.create(`/apis/apps/v1/namespaces/${namespace}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'fake' }] } },
    },
  });
  await waitFor(
    `smoke test: Deployment ${namespace}/${name} available (KCM → scheduler → kwok chain)`,
    async () => {
      const deployment = (await admin.get(
        `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      )) as DeploymentStatus;
      return deployment.status?.availableReplicas === 1 ? true : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
  log(`smoke test: Deployment available after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  await admin.request('DELETE', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: 'Background',
  });
  await waitFor(
    `smoke test: pods of ${namespace}/${name} garbage-collected (garbage collector, kwok pod-delete)`,
    async () => {
      const pods = (await admin.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${name}`)) as PodList;
      return pods.items.length === 0 ? true : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
