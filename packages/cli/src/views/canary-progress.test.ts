import { describe, expect, it } from '@jest/globals';
import type { Canary, CanaryAnalysis, CanaryStatus } from '@linnet/api';
import { canaryProgress, progressBar, runElapsedMs } from './canary-progress.ts';
import { canaryTable, watchTable } from './canary-table.ts';

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
    ).toEqual({ strategy: 'canary', fraction: 0.4, label: '20/50%', step: { done: 2, total: 5 } });
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
      step: { done: 3, total: 10 },
    });
  });

  it('counts weight steps through stepWeights up to the promotion weight', () => {
    const at = (weight: number) =>
      canaryProgress(canary({ stepWeights: [1, 10, 80] }, { phase: 'Progressing', canaryWeight: weight })).step;
    expect(at(1)).toEqual({ done: 1, total: 3 });
    expect(at(10)).toEqual({ done: 2, total: 3 });
    expect(
      canaryProgress(canary({ stepWeight: 10, maxWeight: 50 }, { phase: 'Succeeded', canaryWeight: 0 })).step,
    ).toEqual({ done: 5, total: 5 });
  });

  it('dates the run from the Promoted condition, else from the last transition', () => {
    const now = new Date('2026-01-11T09:10:00Z');
    const promoted = { type: 'Promoted' as const, status: 'Unknown' as const, reason: 'Progressing', message: '' };
    expect(
      runElapsedMs(
        canary(
          {},
          {
            conditions: [{ ...promoted, lastTransitionTime: '2026-01-11T09:01:40Z' }],
            lastTransitionTime: '2026-01-11T09:09:00Z',
          },
        ),
        now,
      ),
    ).toBe(500_000);
    expect(runElapsedMs(canary({}, { lastTransitionTime: '2026-01-11T09:09:00Z' }), now)).toBe(60_000);
    expect(runElapsedMs(canary({}, {}), now)).toBeUndefined();
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

describe('watchTable', () => {
  it('shows step n/m, progress, elapsed time, both workloads and the last decision', () => {
    const now = new Date('2026-01-11T09:05:00Z');
    const backend = canary(
      { stepWeight: 10, maxWeight: 50 },
      {
        phase: 'Progressing',
        canaryWeight: 20,
        lastTransitionTime: '2026-01-11T09:01:40Z',
        lastDecision: { reason: 'AdvanceWeight', message: 'Advance backend canary weight 20', time: 't' },
      },
    );
    const workloads = new Map([
      [
        'webapp/backend',
        {
          primary: { name: 'backend-primary', images: ['ghcr.io/stefanprodan/podinfo:6.0.0'], ready: 2, desired: 2 },
          canary: { name: 'backend', images: ['ghcr.io/stefanprodan/podinfo:6.0.1'], ready: 1, desired: 1 },
        },
      ],
    ]);
    const [header, row] = watchTable([backend], { allNamespaces: false, now, workloads }).split('\n');
    expect(header).toMatch(/^NAME\s+STATUS\s+STEP\s+PROGRESS\s+ELAPSED\s+PRIMARY\s+CANARY\s+LAST DECISION$/);
    expect(row).toMatch(
      /^backend\s+Progressing\s+2\/5\s+\[#{8}\.{12}\] 20\/50%\s+3m20s\s+podinfo:6\.0\.0 2\/2\s+podinfo:6\.0\.1 1\/1\s+Advance backend canary weight 20$/,
    );
    expect(watchTable([backend], { allNamespaces: false, now }).split('\n')[1]).toMatch(/\s-\s+-\s+Advance/);
  });
});
