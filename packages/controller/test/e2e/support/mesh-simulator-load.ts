// Simulated load-tester traffic: the seed's rollout webhook asks Flagger's load tester to run
// `hey -z 1m -q 10 -c 2 http://backend-canary.<ns>:9898/`; in the testenv the mesh simulator's /load jobs stand in
// for it (docs/mesh-simulator.md "Load jobs"), so the canary gets traffic straight to its Service.
import type { ReceivedWebhook } from './webhook-receiver.ts';
import { testClusterEnv } from './test-cluster.ts';

export interface SimulatedLoad {
  namespace: string;
  /** Service the requests go to, e.g. "backend-canary". */
  service: string;
  /** Requests per second. */
  rate: number;
  durationSeconds: number;
}

/** Starts a load job on the mesh simulator; returns its id. */
export async function startSimulatedLoad(load: SimulatedLoad): Promise<string> {
  const response = await fetch(`${testClusterEnv().meshSimulatorUrl}/load`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...load, sourceWorkload: 'loadtester' }),
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 201) throw new Error(`POST /load answered ${response.status}: ${await response.text()}`);
  const job = (await response.json()) as { id?: unknown };
  return String(job.id);
}

/**
 * A webhook-receiver `onCall` handler that behaves like the load tester's `cmd` task: the first rollout call of a
 * Canary starts `rate` req/s against `<name>-canary` for `durationSeconds`; calls while that job runs start nothing
 * (the load tester de-duplicates running commands the same way).
 */
export function loadTesterStandIn(
  options: { rate?: number; durationSeconds?: number } = {},
): (call: ReceivedWebhook) => void {
  const busyUntil = new Map<string, number>();
  const durationSeconds = options.durationSeconds ?? 60;
  return (call) => {
    const { name, namespace, type } = call.body;
    if (!name || !namespace || (type !== undefined && type !== 'rollout')) return;
    const key = `${namespace}/${name}`;
    if ((busyUntil.get(key) ?? 0) > Date.now()) return;
    busyUntil.set(key, Date.now() + durationSeconds * 1000);
    startSimulatedLoad({ namespace, service: `${name}-canary`, rate: options.rate ?? 20, durationSeconds }).catch(() =>
      busyUntil.delete(key),
    );
  };
}
