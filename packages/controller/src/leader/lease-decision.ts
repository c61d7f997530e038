import type { LeaderRecord } from './lease-record.ts';

export interface LeaseDecisionInput {
  /** The lease as last read; undefined when it does not exist. */
  current: LeaderRecord | undefined;
  identity: string;
  /** Local monotonic time (ms) when `current` was first seen in this form. */
  observedAtMs: number;
  nowMs: number;
  /** Wall-clock time to write into the record (MicroTime). */
  nowMicroTime: string;
  leaseDurationSeconds: number;
}

export type LeaseDecision =
  | { kind: 'held-by-other'; holder: string; expiresInMs: number }
  | { kind: 'write'; record: LeaderRecord; acquiring: boolean };

/**
 * Whether this candidate may write the lease, and what to write (client-go's tryAcquireOrRenew). Expiry is
 * judged by when *we* saw the record change, not by the timestamps in it, so clock skew between replicas
 * cannot make a live leader look expired.
 */
export function decideLeaseWrite(input: LeaseDecisionInput): LeaseDecision {
  const { current, identity, nowMicroTime } = input;
  if (current === undefined) {
    return {
      kind: 'write',
      acquiring: true,
      record: {
        holderIdentity: identity,
        leaseDurationSeconds: input.leaseDurationSeconds,
        acquireTime: nowMicroTime,
        renewTime: nowMicroTime,
        leaseTransitions: 0,
      },
    };
  }
  if (current.holderIdentity === identity) {
    return {
      kind: 'write',
      acquiring: false,
      record: { ...current, leaseDurationSeconds: input.leaseDurationSeconds, renewTime: nowMicroTime },
    };
  }
  const expiresInMs = input.observedAtMs + current.leaseDurationSeconds * 1_000 - input.nowMs;
  if (current.holderIdentity !== '' && expiresInMs > 0) {
    return { kind: 'held-by-other', holder: current.holderIdentity, expiresInMs };
  }
  return {
    kind: 'write',
    acquiring: true,
    record: {
      holderIdentity: identity,
      leaseDurationSeconds: input.leaseDurationSeconds,
      acquireTime: nowMicroTime,
      renewTime: nowMicroTime,
      leaseTransitions: current.leaseTransitions + 1,
    },
  };
}
