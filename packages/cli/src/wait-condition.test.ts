import { describe, expect, it } from '@jest/globals';
import type { Canary } from '@linnet/api';
import { evaluateWait, parseWaitTarget } from './wait-condition.ts';

function canary(status: Canary['status']): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'backend', namespace: 'webapp' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' } },
    status,
  };
}

describe('wait targets', () => {
  it('parses phases and conditions like kubectl', () => {
    expect(parseWaitTarget('Succeeded')).toEqual({ kind: 'phase', phase: 'Succeeded' });
    expect(parseWaitTarget('phase=promoting')).toEqual({ kind: 'phase', phase: 'Promoting' });
    expect(parseWaitTarget('condition=promoted')).toEqual({ kind: 'condition', type: 'promoted', status: 'True' });
    expect(parseWaitTarget('condition=Promoted=false')).toEqual({
      kind: 'condition',
      type: 'Promoted',
      status: 'False',
    });
    expect(() => parseWaitTarget('Done')).toThrow(/unknown phase "Done"/);
    expect(() => parseWaitTarget(undefined)).toThrow(/needs --for/);
    expect(() => parseWaitTarget('condition=Promoted=maybe')).toThrow(/True, False or Unknown/);
  });

  it('sees the target reached, a failure instead, or neither', () => {
    const promoted = { type: 'Promoted', status: 'True', reason: 'Succeeded' } as const;
    expect(evaluateWait(canary({ phase: 'Succeeded', conditions: [promoted] }), parseWaitTarget('Succeeded'))).toEqual({
      kind: 'reached',
      detail: 'phase Succeeded',
    });
    expect(
      evaluateWait(canary({ phase: 'Succeeded', conditions: [promoted] }), parseWaitTarget('condition=Promoted')),
    ).toEqual({ kind: 'reached', detail: 'condition Promoted=True (Succeeded)' });
    expect(
      evaluateWait(
        canary({ phase: 'Failed', lastDecision: { reason: 'Rollback', message: 'too many failed checks', time: '' } }),
        parseWaitTarget('Succeeded'),
      ),
    ).toEqual({ kind: 'failed', detail: 'too many failed checks' });
    expect(evaluateWait(canary({ phase: 'Failed' }), parseWaitTarget('Failed')).kind).toBe('reached');
    expect(evaluateWait(canary({ phase: 'Progressing' }), parseWaitTarget('Succeeded'))).toEqual({ kind: 'pending' });
    expect(evaluateWait(canary(undefined), parseWaitTarget('condition=Promoted'))).toEqual({ kind: 'pending' });
  });
});
