// The plan → run → plan loop every caller of the core needs, with the I/O injected: the controller passes real
// webhook and Prometheus clients, tests pass fakes.
import type { CheckBatch, CheckResult, PlannedCheck } from './checks.ts';
import type { Observation } from './observation.ts';
import { plan } from './phase-machine.ts';
import { DEFAULT_TIMINGS, type CoreTimings } from './timings.ts';

export type CheckRunner = (check: PlannedCheck) => Promise<CheckResult>;

/** Runs every batch plan() asks for, in order, honouring each batch's runUntil; returns all results. */
export async function runPlannedChecks(
  observation: Observation,
  runCheck: CheckRunner,
  timings: CoreTimings = DEFAULT_TIMINGS,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (let batch = plan(observation, results, timings); batch; batch = plan(observation, results, timings)) {
    const before = results.length;
    await runBatch(batch, runCheck, results);
    if (results.length === before) throw new Error(`the ${batch.purpose} batch produced no results`);
  }
  return results;
}

/**
 * Runs one batch in order into `results`, stopping where its runUntil says. Exported for shells that run each batch
 * on its own (the controller's per-canary check runner) and call plan() between batches themselves.
 */
export async function runBatch(batch: CheckBatch, runCheck: CheckRunner, results: CheckResult[]): Promise<void> {
  for (const check of batch.checks) {
    const result = await runCheck(check);
    if (result.id !== check.id) throw new Error(`result for ${result.id} returned for check ${check.id}`);
    results.push(result);
    if (result.kind !== 'webhook') continue;
    if (batch.runUntil === 'first-failure' && !result.ok) return;
    if (batch.runUntil === 'first-success' && result.ok) return;
  }
}
