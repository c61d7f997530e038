// Which check round results belong to. Results of checks that ran for one round must never decide another: a new
// revision, the next step, a counted failure or an edited Canary each start a new round.
import type { Observation } from '@linnet/core';

/**
 * The schedule key of an observation: the Canary's generation (its spec, so the checks' ids mean the same webhooks
 * and metrics), the target revision (pod-template hash and tracked config checksums, as observed and as last
 * applied), the run's position (phase, iterations, canaryWeight, failedChecks, lastTransitionTime), a deletion in
 * progress and a pending manual action. The current time is left out on purpose: a round outlives the reconcile
 * that started it, and results are consumed by the decision that used them.
 */
export function checkScheduleKey(observation: Observation, generation: number | undefined): string {
  const { status } = observation;
  return JSON.stringify([
    generation ?? 0,
    observation.targetHash,
    observation.configChecksums,
    status.lastAppliedSpec ?? '',
    status.phase ?? '',
    status.iterations ?? 0,
    status.canaryWeight ?? 0,
    status.failedChecks ?? 0,
    status.lastTransitionTime ?? '',
    observation.deletion.requested,
    observation.manualAction ?? null,
  ]);
}
