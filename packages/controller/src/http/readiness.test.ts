import { describe, expect, it } from '@jest/globals';
import { evaluateReadiness, informersSyncedCheck, leaderElectionCheck } from './readiness.ts';

describe('evaluateReadiness', () => {
  it('is ready only when every check is', () => {
    let synced = false;
    const checks = [
      informersSyncedCheck({ hasSynced: () => synced, unsynced: () => (synced ? [] : ['canaries.flagger.app']) }),
      leaderElectionCheck({ health: () => ({ healthy: true, message: 'standing by (leader: a)' }) }),
    ];
    expect(evaluateReadiness(checks)).toEqual({
      ready: false,
      checks: [
        { name: 'informers', ready: false, message: 'waiting for canaries.flagger.app' },
        { name: 'leader-election', ready: true, message: 'standing by (leader: a)' },
      ],
    });
    synced = true;
    expect(evaluateReadiness(checks).ready).toBe(true);
  });

  it('reports a throwing check as not ready', () => {
    const report = evaluateReadiness([
      {
        name: 'broken',
        check: () => {
          throw new Error('boom');
        },
      },
    ]);
    expect(report.ready).toBe(false);
    expect(report.checks[0]?.message).toContain('boom');
  });
});
