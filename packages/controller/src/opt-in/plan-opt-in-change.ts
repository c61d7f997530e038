import { MANAGED_BY_ANNOTATIONS_LABEL, describeAnnotationProblem } from '@linnet/api';
import { canonicalJson } from '@linnet/core';
import type { KubeObject } from '../kube/kube-object.ts';
import type { GeneratedCanary, OptInDecision } from './desired-opt-in-canary.ts';

/** A Canary as read back from the API. */
export interface ExistingCanary extends KubeObject {
  spec?: unknown;
}

/** What to do so that the cluster matches an opt-in decision. */
export type OptInChange =
  | { type: 'none' }
  | { type: 'apply'; canary: GeneratedCanary; reason: 'Created' | 'Updated' }
  | { type: 'delete'; canary: { namespace: string; name: string; uid?: string } }
  /** Malformed annotations: warn on the workload and leave the Canary, if any, as it is. */
  | { type: 'warn'; reason: 'InvalidAnnotation'; messages: string[] }
  /** A Canary of that name exists and was not generated for this workload: it is never touched. */
  | { type: 'warn'; reason: 'CanaryNameTaken'; messages: string[] };

export function isManagedByAnnotations(canary: KubeObject): boolean {
  return canary.metadata?.labels?.[MANAGED_BY_ANNOTATIONS_LABEL] === 'true';
}

function isOwnedBy(canary: KubeObject, workloadUid: string | undefined): boolean {
  return (
    workloadUid !== undefined &&
    (canary.metadata?.ownerReferences ?? []).some((reference) => reference.uid === workloadUid)
  );
}

function isUpToDate(existing: ExistingCanary, desired: GeneratedCanary): boolean {
  const ownerUid = desired.metadata.ownerReferences[0]?.uid;
  return (
    canonicalJson(existing.spec) === canonicalJson(desired.spec) &&
    isManagedByAnnotations(existing) &&
    isOwnedBy(existing, ownerUid)
  );
}

/**
 * Compares the decision for a workload with the Canary of the same name. Linnet only ever changes or deletes a
 * Canary it generated from annotations (label linnet.dev/managed-by-annotations: "true"); a hand-written Canary
 * of that name wins and the workload gets a warning instead.
 */
export function planOptInChange(
  decision: OptInDecision,
  workloadUid: string | undefined,
  existing: ExistingCanary | undefined,
): OptInChange {
  if (decision.problems.length > 0) {
    return { type: 'warn', reason: 'InvalidAnnotation', messages: decision.problems.map(describeAnnotationProblem) };
  }
  const desired = decision.canary;
  if (desired) {
    if (!existing) return { type: 'apply', canary: desired, reason: 'Created' };
    if (!isManagedByAnnotations(existing)) {
      const { namespace, name } = desired.metadata;
      return {
        type: 'warn',
        reason: 'CanaryNameTaken',
        messages: [
          `Canary ${namespace}/${name} already exists and was not generated from annotations; it is left as it is ` +
            '(delete it, or remove linnet.dev/canary from this workload)',
        ],
      };
    }
    return isUpToDate(existing, desired) ? { type: 'none' } : { type: 'apply', canary: desired, reason: 'Updated' };
  }
  // Not opted in (any more): remove the Canary generated for this workload, and only that one — once: a Canary
  // already being deleted (its finalizer reverting the routing) needs no second delete, nor a second event.
  if (existing && isManagedByAnnotations(existing) && isOwnedBy(existing, workloadUid)) {
    if (existing.metadata?.deletionTimestamp) return { type: 'none' };
    const name = existing.metadata?.name;
    const namespace = existing.metadata?.namespace;
    if (name && namespace) {
      const uid = existing.metadata?.uid;
      return { type: 'delete', canary: { namespace, name, ...(uid && { uid }) } };
    }
  }
  return { type: 'none' };
}
