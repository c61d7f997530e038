import { describe, expect, it } from '@jest/globals';
import { decideLeaseWrite } from './lease-decision.ts';
import type { LeaderRecord } from './lease-record.ts';

const held: LeaderRecord = {
  holderIdentity: 'replica-a',
  leaseDurationSeconds: 15,
  acquireTime: '2026-01-01T00:00:00.000000Z',
  renewTime: '2026-01-01T00:00:10.000000Z',
  leaseTransitions: 3,
};
const base = { identity: 'replica-b', observedAtMs: 1_000, nowMicroTime: 'NOW', leaseDurationSeconds: 15 };

describe('decideLeaseWrite', () => {
  it('creates the lease when there is none', () => {
    const decision = decideLeaseWrite({ ...base, current: undefined, nowMs: 1_000 });
    expect(decision).toEqual({
      kind: 'write',
      acquiring: true,
      record: {
        holderIdentity: 'replica-b',
        leaseDurationSeconds: 15,
        acquireTime: 'NOW',
        renewTime: 'NOW',
        leaseTransitions: 0,
      },
    });
  });

  it('leaves a lease held by another replica alone until it expires by our own observation', () => {
    expect(decideLeaseWrite({ ...base, current: held, nowMs: 15_999 })).toEqual({
      kind: 'held-by-other',
      holder: 'replica-a',
      expiresInMs: 1,
    });
    const takeover = decideLeaseWrite({ ...base, current: held, nowMs: 16_000 });
    expect(takeover.kind).toBe('write');
    if (takeover.kind === 'write') {
      expect(takeover.acquiring).toBe(true);
      expect(takeover.record).toMatchObject({ holderIdentity: 'replica-b', acquireTime: 'NOW', leaseTransitions: 4 });
    }
  });

  it('takes a released lease (empty holder) at once', () => {
    const decision = decideLeaseWrite({ ...base, current: { ...held, holderIdentity: '' }, nowMs: 1_000 });
    expect(decision.kind === 'write' && decision.acquiring).toBe(true);
  });

  it('renews its own lease keeping acquireTime and transitions', () => {
    const decision = decideLeaseWrite({ ...base, identity: 'replica-a', current: held, nowMs: 99_000 });
    expect(decision).toEqual({ kind: 'write', acquiring: false, record: { ...held, renewTime: 'NOW' } });
  });
});
