// The Promoted condition, the one condition a Canary carries (reference §1.4); `kubectl wait --for=condition=promoted`.
import type { CanaryPhase, Condition, ConditionStatus } from '@linnet/api';

export const PROMOTED_CONDITION = 'Promoted';

interface ConditionContent {
  readonly status: ConditionStatus;
  readonly message: string;
}

/** Flagger's status and message per phase; undefined for phases that leave the condition alone. */
export function promotedConditionFor(phase: CanaryPhase, targetKind: string): ConditionContent | undefined {
  switch (phase) {
    case '':
    case 'Initializing':
      return { status: 'Unknown', message: `New ${targetKind} detected, starting initialization.` };
    case 'Initialized':
      return { status: 'True', message: `${targetKind} initialization completed.` };
    case 'Waiting':
    case 'WaitingPromotion':
      return { status: 'Unknown', message: 'Waiting for approval.' };
    case 'Progressing':
      return { status: 'Unknown', message: 'New revision detected, progressing canary analysis.' };
    case 'Promoting':
      return { status: 'Unknown', message: 'Canary analysis completed, starting primary rolling update.' };
    case 'Finalising':
      return { status: 'Unknown', message: 'Canary analysis completed, routing all traffic to primary.' };
    case 'Succeeded':
      return { status: 'True', message: 'Canary analysis completed successfully, promotion finished.' };
    case 'Failed':
      return { status: 'False', message: `Canary analysis failed, ${targetKind} scaled to zero.` };
    case 'Terminating':
    case 'Terminated':
      return undefined;
  }
}

/**
 * The conditions after entering `phase`: rewritten only when the status or reason changes, keeping
 * lastTransitionTime while the status value stays the same (Flagger's rule).
 */
export function withPromotedCondition(
  conditions: readonly Condition[] | undefined,
  phase: CanaryPhase,
  targetKind: string,
  now: string,
): Condition[] | undefined {
  const content = promotedConditionFor(phase, targetKind);
  const existing = conditions?.find((condition) => condition.type === PROMOTED_CONDITION);
  if (!content) return conditions ? [...conditions] : undefined;
  const reason = phase === '' ? 'Initializing' : phase;
  if (existing && existing.status === content.status && existing.reason === reason) return [...(conditions ?? [])];
  const next: Condition = {
    type: PROMOTED_CONDITION,
    status: content.status,
    lastUpdateTime: now,
    lastTransitionTime:
      existing && existing.status === content.status && existing.lastTransitionTime ? existing.lastTransitionTime : now,
    reason,
    message: content.message,
  };
  const others = (conditions ?? []).filter((condition) => condition.type !== PROMOTED_CONDITION);
  return [...others, next];
}
