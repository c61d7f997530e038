// Stops the cluster only if the global setup started it; a cluster from `npm run testenv -- up` keeps running.
import { stopCluster } from './cluster.ts';
import { stderrLogger } from './log.ts';

const startedByJestKey = Symbol.for('linnet.testenv.startedByJest');

export default async function globalTeardown(): Promise<void> {
  const name = (globalThis as Record<symbol, unknown>)[startedByJestKey];
  if (typeof name !== 'string') return;
  const result = await stopCluster(name);
  stderrLogger(`stopped cluster "${name}" started by the jest global setup (${result.processes.length} processes)`);
}
