// The real controllers behind Deployments: KCM (deployment, replicaset, garbage collector, namespace), the
// scheduler, and kwok marking pods Ready on the fake node.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import { waitFor } from '../src/wait.ts';
import { createNamespace, deleteNamespaceAndWait, kubeClients, type KubeClients } from './kube-clients.ts';

// The root config's per-project testTimeout is not applied by jest (it is a global option), and hooks wait on the
// cluster too: namespace deletion alone can take ~20 s (the namespace controller requeues after half the pods' grace).
jest.setTimeout(120_000);

function deployment(name: string, replicas: number): V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'fake/podinfo:6.0.0' }] } },
    },
  };
}

describe('workloads on the local control plane', () => {
  let clients: KubeClients;
  let namespace: string;

  beforeAll(async () => {
    clients = kubeClients();
    namespace = await createNamespace(clients, 'itest-workloads');
  });

  afterAll(async () => {
    await deleteNamespaceAndWait(clients, namespace);
  });

  test('a Deployment becomes Available with kwok-Ready pods, and deleting it garbage-collects ReplicaSets and Pods', async () => {
    const name = 'podinfo';
    await clients.apps.createNamespacedDeployment({ namespace, body: deployment(name, 2) });

    const available = await waitFor(
      `deployment ${namespace}/${name} Available`,
      async () => {
        const live = await clients.apps.readNamespacedDeployment({ name, namespace });
        const condition = live.status?.conditions?.find((c) => c.type === 'Available');
        return live.status?.availableReplicas === 2 && condition?.status === 'True' ? live : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(available.status?.updatedReplicas).toBe(2);

    const pods = await clients.core.listNamespacedPod({ namespace, labelSelector: `app=${name}` });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec?.nodeName).toBe('kwok-node-0');
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(pod.status?.podIP).toMatch(/^10\.244\./);
    }
    const replicaSets = await clients.apps.listNamespacedReplicaSet({ namespace, labelSelector: `app=${name}` });
    expect(replicaSets.items).toHaveLength(1);

    await clients.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' });
    await waitFor(
      'ReplicaSets and Pods of the deleted Deployment garbage-collected',
      async () => {
        const [rs, pod] = await Promise.all([
          clients.apps.listNamespacedReplicaSet({ namespace, labelSelector: `app=${name}` }),
          clients.core.listNamespacedPod({ namespace, labelSelector: `app=${name}` }),
        ]);
        return rs.items.length === 0 && pod.items.length === 0 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  });

  test('a namespace with running pods deletes cleanly', async () => {
    const doomed = await createNamespace(clients, 'itest-doomed');
    await clients.apps.createNamespacedDeployment({ namespace: doomed, body: deployment('doomed', 1) });
    await waitFor(
      'deployment in the doomed namespace Available',
      async () => {
        const live = await clients.apps.readNamespacedDeployment({ name: 'doomed', namespace: doomed });
        return live.status?.availableReplicas === 1 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await deleteNamespaceAndWait(clients, doomed);
  });

  test('a new namespace gets its default ServiceAccount, and a Service gets EndpointSlices with the pod IPs', async () => {
    await waitFor(
      'default ServiceAccount',
      async () => {
        const list = await clients.core.listNamespacedServiceAccount({ namespace });
        return list.items.some((sa) => sa.metadata?.name === 'default') ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

    await clients.apps.createNamespacedDeployment({ namespace, body: deployment('web', 1) });
    await clients.core.createNamespacedService({
      namespace,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9898 }] } },
    });
    const addresses = await waitFor(
      'EndpointSlice of service web with a ready endpoint',
      async () => {
        const slices = await clients.discovery.listNamespacedEndpointSlice({
          namespace,
          labelSelector: 'kubernetes.io/service-name=web',
        });
        const ready = slices.items.flatMap((slice) =>
          (slice.endpoints ?? []).filter((e) => e.conditions?.ready === true).flatMap((e) => e.addresses),
        );
        return ready.length === 1 ? ready : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(addresses[0]).toMatch(/^10\.244\./);
  });
});
