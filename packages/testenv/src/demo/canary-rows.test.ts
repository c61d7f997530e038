import { describe, expect, it } from '@jest/globals';
import type { Canary } from '@linnet/api';
import { canaryRow, formatDuration, formatRow, rowChanged, ROW_HEADER } from './canary-rows.ts';

const canary = (status: Canary['status']): Canary =>
  ({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'backend' }, spec: {}, status }) as Canary;

describe('kubectl-get-canary rows', () => {
  const row = canaryRow(
    canary({
      phase: 'Progressing',
      canaryWeight: 20,
      failedChecks: 0,
      iterations: 0,
      lastTransitionTime: '2026-11-26T20:26:09.564Z',
      lastDecision: { reason: 'AdvanceWeight', message: 'Advance backend.webapp canary weight 20', time: 'x' },
    }),
    10_005_900,
  );

  it('takes the printer columns and the last decision from the status', () => {
    expect(row).toMatchObject({
      name: 'backend',
      status: 'Progressing',
      weight: 20,
      lastTransitionTime: '2026-11-26T20:26:09.564Z',
      failedChecks: 0,
      decision: 'Advance backend.webapp canary weight 20',
    });
    expect(canaryRow(canary(undefined), 0)).toMatchObject({ status: '', weight: 0, lastTransitionTime: '' });
  });

  it('prints aligned columns under the header, SEEN relative to the step start', () => {
    expect(ROW_HEADER).toBe('NAME      STATUS        WEIGHT  LASTTRANSITIONTIME         FAILEDCHECKS  SEEN');
    expect(formatRow(row, 10_000_000)).toBe(
      'backend   Progressing   20      2026-11-26T20:26:09.564Z   0             +5.9s',
    );
  });

  it('a new row only when a printed column changes', () => {
    expect(rowChanged(undefined, row)).toBe(true);
    expect(rowChanged(row, { ...row, decision: 'something else', seenAtMs: 0 })).toBe(false);
    expect(rowChanged(row, { ...row, failedChecks: 1 })).toBe(true);
    expect(rowChanged(row, { ...row, lastTransitionTime: '2026-11-26T20:26:14.568Z' })).toBe(true);
  });

  it('durations', () => {
    expect(formatDuration(31_049)).toBe('31.0 s');
    expect(formatDuration(810_000)).toBe('13 min 30 s');
  });
});
