import { describe, expect, it } from '@jest/globals';
import type { Canary, CanaryAnalysis, CanaryStatus } from '@linnet/api';
import { canaryProgress, progressBar } from './canary-progress.ts';
import { canaryTable } from './canary-table.ts';

function canary(analysis: CanaryAnalysis, status: CanaryStatus): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'backend', namespace: 'webapp' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' }, analysis },
    status,
  };
}

describe('canaryProgress', () => {
  it('measures a canary run by weight against the promotion weight', () => {
    expect(
      canaryProgress(canary({ stepWeight: 10, maxWeight: 50 }, { phase: 'Progressing', canaryWeight: 20 })),
    ).toEqual({ strategy: 'canary', fraction: 0.4, label: '20/50%' });
    expect(canaryProgress(canary({ stepWeights: [1, 10, 80] }, { phase: 'Progressing', canaryWeight: 10 })).label).toBe(
      '10/80%',
    );
    expect(
      canaryProgress(canary({ stepWeight: 10, maxWeight: 50 }, { phase: 'Succeeded', canaryWeight: 0 })).fraction,
    ).toBe(1);
    expect(
      canaryProgress(canary({ stepWeight: 10, maxWeight: 50 }, { phase: 'Failed', canaryWeight: 0 })).fraction,
    ).toBe(0);
  });

  it('measures blue/green and A/B runs by checks', () => {
    const match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
    expect(canaryProgress(canary({ iterations: 10, match }, { phase: 'Progressing', iterations: 3 }))).toEqual({
      strategy: 'ab-testing',
      fraction: 0.3,
      label: '3/10 checks',
    });
  });

  it('draws the bar', () => {
    expect(progressBar(0.4, 10)).toBe('[####......]');
    expect(progressBar(2, 4)).toBe('[####]');
  });
});

describe('canaryTable', () => {
  it('prints the printer columns, sorted, with the namespace across namespaces', () => {
    const a = canary({ stepWeight: 10 }, { phase: 'Progressing', canaryWeight: 10, lastTransitionTime: 't1' });
    const b = { ...a, metadata: { name: 'api', namespace: 'webapp' }, status: { phase: 'Succeeded' as const } };
    expect(canaryTable([a, b], { allNamespaces: true })).toBe(
      'NAMESPACE   NAME      STATUS        WEIGHT   LASTTRANSITIONTIME\n' +
        'webapp      api       Succeeded\n' +
        'webapp      backend   Progressing   10       t1\n',
    );
  });
});
