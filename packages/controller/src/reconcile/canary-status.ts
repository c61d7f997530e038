// Linnet's own status bookkeeping around the core's status: the `Reconciled` condition that reports why a Canary
// cannot be reconciled (invalid spec, missing target), next to Flagger's one `Promoted` condition.
import type { CanaryStatus, Condition } from '@linnet/api';
import type { Blocker } from './observe-canary.ts';

/**
 * Present (status False) only while the Canary is blocked; removed once it reconciles again, so a healthy Canary
 * carries exactly Flagger's conditions.
 */
export const RECONCILED_CONDITION = 'Reconciled';

export function reconciledCondition(status: CanaryStatus): Condition | undefined {
  return status.conditions?.find((condition) => condition.type === RECONCILED_CONDITION);
}

/** The status of a blocked Canary: phase and run state untouched, the blocker in a condition and lastDecision. */
export function blockedStatus(status: CanaryStatus, blocker: Blocker, now: string): CanaryStatus {
  const existing = reconciledCondition(status);
  const unchanged = existing?.reason === blocker.reason && existing.message === blocker.message;
  const condition: Condition = unchanged
    ? existing
    : {
        type: RECONCILED_CONDITION,
        status: 'False',
        reason: blocker.reason,
        message: blocker.message,
        lastUpdateTime: now,
        lastTransitionTime:
          existing?.status === 'False' && existing.lastTransitionTime ? existing.lastTransitionTime : now,
      };
  const others = (status.conditions ?? []).filter((candidate) => candidate.type !== RECONCILED_CONDITION);
  const last = status.lastDecision;
  const lastDecision =
    last?.reason === blocker.reason && last.message === blocker.message
      ? last
      : { reason: blocker.reason, message: blocker.message, time: now };
  return { ...status, conditions: [...others, condition], lastDecision };
}

/** True when the blocker is new (not already reported by the condition), so its Warning event is sent once. */
export function isNewBlocker(status: CanaryStatus, blocker: Blocker): boolean {
  const existing = reconciledCondition(status);
  return existing?.reason !== blocker.reason || existing.message !== blocker.message;
}

/** The core's status with the Reconciled condition dropped (the Canary is reconciling again). */
export function withoutReconciledCondition(status: CanaryStatus): CanaryStatus {
  if (!reconciledCondition(status)) return status;
  const conditions = (status.conditions ?? []).filter((condition) => condition.type !== RECONCILED_CONDITION);
  const { conditions: _dropped, ...rest } = status;
  return conditions.length > 0 ? { ...rest, conditions } : rest;
}
