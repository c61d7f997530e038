// The cluster the e2e project's jest global setup provides (packages/testenv): its kubeconfig, Prometheus and mesh
// simulator, and one namespace per suite so suites can run side by side.
import { randomBytes } from 'node:crypto';
import { createKubeAccess, resourceTypes, type KubeAccess } from '../../../src/kube/index.ts';

export interface TestClusterEnv {
  kubeconfig: string;
  prometheusUrl: string;
  meshSimulatorUrl: string;
}

/** The environment set by the global setup; throws a clear error when the suite runs outside the e2e project. */
export function testClusterEnv(): TestClusterEnv {
  const { KUBECONFIG, PROMETHEUS_URL, MESH_SIMULATOR_URL } = process.env;
  if (!KUBECONFIG || !PROMETHEUS_URL || !MESH_SIMULATOR_URL) {
    throw new Error(
      'KUBECONFIG, PROMETHEUS_URL and MESH_SIMULATOR_URL must be set: run the suite in the jest project "e2e" ' +
        '(npm run test:e2e), whose global setup starts or reuses the local cluster',
    );
  }
  return { kubeconfig: KUBECONFIG, prometheusUrl: PROMETHEUS_URL, meshSimulatorUrl: MESH_SIMULATOR_URL };
}

/** A KubeAccess for the test itself (writes with field manager "linnet-e2e", so it never impersonates Linnet). */
export function testKubeAccess(): KubeAccess {
  return createKubeAccess({ kubeconfig: testClusterEnv().kubeconfig, fieldManager: 'linnet-e2e' });
}

/** `<prefix>-<6 hex>`: unique per run, valid as a namespace name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Creates a fresh namespace and returns its name. */
export async function createTestNamespace(access: KubeAccess, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await access.create(resourceTypes.namespace, { metadata: { name, labels: { 'linnet.dev/e2e': 'true' } } });
  return name;
}

/** Starts the namespace's deletion (does not wait: the namespace controller finishes it in the background). */
export async function deleteTestNamespace(access: KubeAccess, name: string): Promise<void> {
  await access.delete(resourceTypes.namespace, { name });
}
