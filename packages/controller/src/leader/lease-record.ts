import type { KubeObject } from '../kube/kube-object.ts';
import { defineResourceType, resourceTypes } from '../kube/resource-type.ts';

/** coordination.k8s.io/v1 Lease, the fields leader election uses. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export const leaseResourceType = defineResourceType<Lease>(resourceTypes.lease);

/** Who holds the lease and until when, in a form the election logic can compare. */
export interface LeaderRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export function leaderRecordOf(lease: Lease): LeaderRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: spec.acquireTime ?? '',
    renewTime: spec.renewTime ?? '',
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

export function leaseSpecOf(record: LeaderRecord): NonNullable<Lease['spec']> {
  return {
    // An empty holder is written as an absent field, as client-go does on release.
    ...(record.holderIdentity ? { holderIdentity: record.holderIdentity } : {}),
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime,
    renewTime: record.renewTime,
    leaseTransitions: record.leaseTransitions,
  };
}

export function sameRecord(a: LeaderRecord, b: LeaderRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.acquireTime === b.acquireTime &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationSeconds === b.leaseDurationSeconds
  );
}
