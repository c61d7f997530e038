import { describe, expect, it } from '@jest/globals';
import { blockedStatus, isNewBlocker, RECONCILED_CONDITION, withoutReconciledCondition } from './canary-status.ts';

const promoted = { type: 'Promoted', status: 'True' as const, reason: 'Succeeded', message: 'done' };
const blocker = { kind: 'blocked' as const, reason: 'InvalidSpec' as const, message: 'spec.analysis.stepWeight: bad' };

describe('the Reconciled condition', () => {
  it('records a blocker next to the Promoted condition without touching the run', () => {
    const status = blockedStatus({ phase: 'Succeeded', canaryWeight: 0, conditions: [promoted] }, blocker, 'T1');
    expect(status).toMatchObject({
      phase: 'Succeeded',
      canaryWeight: 0,
      lastDecision: { reason: 'InvalidSpec', time: 'T1' },
    });
    expect(status.conditions).toEqual([
      promoted,
      {
        type: RECONCILED_CONDITION,
        status: 'False',
        reason: 'InvalidSpec',
        message: blocker.message,
        lastUpdateTime: 'T1',
        lastTransitionTime: 'T1',
      },
    ]);
    expect(isNewBlocker(status, blocker)).toBe(false);
    // The same blocker again changes nothing, so the status is not rewritten and the event is not repeated.
    expect(blockedStatus(status, blocker, 'T2')).toEqual(status);
  });

  it('is removed once the Canary reconciles again', () => {
    const status = blockedStatus({ conditions: [promoted] }, blocker, 'T1');
    expect(withoutReconciledCondition(status).conditions).toEqual([promoted]);
    expect(withoutReconciledCondition(blockedStatus({}, blocker, 'T1'))).not.toHaveProperty('conditions');
  });
});
