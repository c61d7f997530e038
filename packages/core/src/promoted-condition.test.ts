import { describe, expect, it } from '@jest/globals';
import type { CanaryPhase } from '@linnet/api';
import { promotedConditionFor, withPromotedCondition } from './promoted-condition.ts';

describe('Promoted condition (reference §1.4)', () => {
  it.each<[CanaryPhase, string, string]>([
    ['Initializing', 'Unknown', 'New Deployment detected, starting initialization.'],
    ['Initialized', 'True', 'Deployment initialization completed.'],
    ['Waiting', 'Unknown', 'Waiting for approval.'],
    ['WaitingPromotion', 'Unknown', 'Waiting for approval.'],
    ['Progressing', 'Unknown', 'New revision detected, progressing canary analysis.'],
    ['Promoting', 'Unknown', 'Canary analysis completed, starting primary rolling update.'],
    ['Finalising', 'Unknown', 'Canary analysis completed, routing all traffic to primary.'],
    ['Succeeded', 'True', 'Canary analysis completed successfully, promotion finished.'],
    ['Failed', 'False', 'Canary analysis failed, Deployment scaled to zero.'],
  ])('%s → %s "%s"', (phase, status, message) => {
    expect(promotedConditionFor(phase, 'Deployment')).toEqual({ status, message });
  });

  it('keeps lastTransitionTime while the status value stays the same', () => {
    const progressing = withPromotedCondition(undefined, 'Progressing', 'Deployment', 't1');
    const promoting = withPromotedCondition(progressing, 'Promoting', 'Deployment', 't2');
    expect(promoting).toEqual([
      expect.objectContaining({ reason: 'Promoting', lastUpdateTime: 't2', lastTransitionTime: 't1' }),
    ]);
    const succeeded = withPromotedCondition(promoting, 'Succeeded', 'Deployment', 't3');
    expect(succeeded).toEqual([
      expect.objectContaining({ status: 'True', lastUpdateTime: 't3', lastTransitionTime: 't3' }),
    ]);
  });

  it('is not rewritten when status and reason are unchanged', () => {
    const first = withPromotedCondition(undefined, 'Progressing', 'Deployment', 't1');
    expect(withPromotedCondition(first, 'Progressing', 'Deployment', 't9')).toEqual(first);
  });

  it('leaves the condition alone while terminating', () => {
    const succeeded = withPromotedCondition(undefined, 'Succeeded', 'Deployment', 't1');
    expect(withPromotedCondition(succeeded, 'Terminating', 'Deployment', 't2')).toEqual(succeeded);
  });
});
