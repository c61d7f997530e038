// Server-side apply that skips the request when the live object already holds what Linnet would apply. Every
// reconcile re-applies the generated objects; skipping no-ops keeps the API server's load and the audit log flat.
import { createHash } from 'node:crypto';
import { canonicalJson } from '@linnet/core';
import type { KubeObject, ResourceType } from '../kube/index.ts';
import type { ClusterWriter } from '../reconcile/cluster-view.ts';

/**
 * Hash of the last applied desired state. Without it a field Linnet stopped setting would look "in sync" (the
 * live object is a superset of the desired one) although applying would remove it.
 */
export const APPLIED_HASH_ANNOTATION = 'linnet.dev/applied-hash';

export async function applyIfChanged<T extends KubeObject>(
  writer: ClusterWriter,
  type: ResourceType<T>,
  desired: T,
  live: T | undefined,
): Promise<T> {
  const hash = createHash('sha256').update(canonicalJson(desired)).digest('hex').slice(0, 16);
  const stamped: T = {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata?.annotations, [APPLIED_HASH_ANNOTATION]: hash },
    },
  };
  if (live && live.metadata?.annotations?.[APPLIED_HASH_ANNOTATION] === hash && isContainedIn(stamped, live)) {
    return live;
  }
  return writer.apply(type, stamped, live);
}

/** True when every field of `desired` has the same value in `live` (arrays element by element, same length). */
export function isContainedIn(desired: unknown, live: unknown): boolean {
  if (desired === undefined) return true;
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((element, index) => isContainedIn(element, live[index]))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    const liveRecord = live as Record<string, unknown>;
    return Object.entries(desired).every(([key, value]) => isContainedIn(value, liveRecord[key]));
  }
  return desired === live;
}
