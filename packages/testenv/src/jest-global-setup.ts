// Jest global setup of the `integration` project: reuse the running cluster if it is healthy (e.g. one started with
// `npm run testenv -- up`), otherwise start one and let the global teardown stop it. LINNET_TESTENV_CLUSTER picks
// another cluster name than `current`, e.g. to keep a CI run apart from a developer's cluster.
import { startCluster } from './cluster.ts';
import { defaultClusterName } from './state.ts';

/** Read by jest-global-teardown.ts, which runs in the same process. */
const startedByJestKey = Symbol.for('linnet.testenv.startedByJest');

export default async function globalSetup(): Promise<void> {
  const name = process.env.LINNET_TESTENV_CLUSTER || defaultClusterName;
  const cluster = await startCluster({ name, reuse: true });
  (globalThis as Record<symbol, unknown>)[startedByJestKey] = cluster.reused ? undefined : cluster.name;
  // Test workers are started after the global setup and inherit these.
  process.env.KUBECONFIG = cluster.env.KUBECONFIG;
  process.env.PROMETHEUS_URL = cluster.env.PROMETHEUS_URL;
  process.env.MESH_SIMULATOR_URL = cluster.env.MESH_SIMULATOR_URL;
  process.env.LINNET_TESTENV_CLUSTER = cluster.name;
}
