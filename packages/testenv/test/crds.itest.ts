// CRDs installed by the testenv: Istio's (from the istio.io/api module) with real structural validation, and
// Linnet's own from deploy/crds when they have been generated.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { readLinnetCrds } from '../src/crds.ts';
import { linnetCrdDir } from '../src/paths.ts';
import {
  apiErrorCode,
  createNamespace,
  deleteNamespaceAndWait,
  kubeClients,
  type KubeClients,
} from './kube-clients.ts';

// The root config's per-project testTimeout is not applied by jest (it is a global option), and hooks wait on the
// cluster too: namespace deletion alone can take ~20 s (the namespace controller requeues after half the pods' grace).
jest.setTimeout(120_000);

const istio = { group: 'networking.istio.io', version: 'v1beta1', plural: 'virtualservices' } as const;

function virtualService(name: string, weight: unknown): Record<string, unknown> {
  return {
    apiVersion: `${istio.group}/${istio.version}`,
    kind: 'VirtualService',
    metadata: { name },
    spec: {
      hosts: ['podinfo'],
      http: [
        {
          route: [
            { destination: { host: 'podinfo-primary' }, weight },
            { destination: { host: 'podinfo-canary' }, weight: 0 },
          ],
        },
      ],
    },
  };
}

const linnetCrds = readLinnetCrds(linnetCrdDir);
const canaryCrd = linnetCrds.find((crd) => crd.spec.names.kind === 'Canary');

describe('CRDs on the local control plane', () => {
  let clients: KubeClients;
  let namespace: string;

  beforeAll(async () => {
    clients = kubeClients();
    namespace = await createNamespace(clients, 'itest-crds');
  });

  afterAll(async () => {
    await deleteNamespaceAndWait(clients, namespace);
  });

  test('a well-formed VirtualService is accepted', async () => {
    const created = (await clients.custom.createNamespacedCustomObject({
      ...istio,
      namespace,
      body: virtualService('good', 100),
    })) as { metadata?: { uid?: string } };
    expect(created.metadata?.uid).toBeTruthy();
  });

  test('a malformed VirtualService is rejected by the API server with 422', async () => {
    const code = await apiErrorCode(
      clients.custom.createNamespacedCustomObject({ ...istio, namespace, body: virtualService('bad', 'fifty') }),
    );
    expect(code).toBe(422);
  });

  test('every Istio CRD the testenv installs serves the versions Flagger and Linnet use', async () => {
    const apiextensions = clients.kubeConfig.makeApiClient(ApiextensionsV1Api);
    for (const name of ['virtualservices', 'destinationrules', 'gateways']) {
      const crd = await apiextensions.readCustomResourceDefinition({ name: `${name}.networking.istio.io` });
      const served = crd.spec.versions.filter((v) => v.served).map((v) => v.name);
      expect(served).toEqual(expect.arrayContaining(['v1', 'v1beta1', 'v1alpha3']));
    }
  });

  (linnetCrds.length > 0 ? test : test.skip)('Linnet CRDs from deploy/crds are Established', async () => {
    const apiextensions = clients.kubeConfig.makeApiClient(ApiextensionsV1Api);
    for (const manifest of linnetCrds) {
      const live = await apiextensions.readCustomResourceDefinition({ name: manifest.metadata.name });
      expect(live.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
    }
  });

  (canaryCrd ? test : test.skip)('a Canary can be created', async () => {
    if (!canaryCrd) return;
    const version = canaryCrd.spec.versions.find((v) => v.served)?.name ?? 'v1beta1';
    const body = {
      apiVersion: `${canaryCrd.spec.group}/${version}`,
      kind: 'Canary',
      metadata: { name: 'podinfo' },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
        service: { port: 9898 },
        analysis: {
          interval: '1m',
          threshold: 5,
          maxWeight: 50,
          stepWeight: 10,
          metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }],
        },
      },
    };
    const created = (await clients.custom.createNamespacedCustomObject({
      group: canaryCrd.spec.group,
      version,
      namespace,
      plural: canaryCrd.spec.names.plural,
      body,
    })) as { metadata?: { uid?: string }; spec?: { service?: { port?: number } } };
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.spec?.service?.port).toBe(9898);
  });
});
