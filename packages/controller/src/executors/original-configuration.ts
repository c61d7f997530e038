// The spec a user's VirtualService had before Linnet took it over, so revertOnDeletion can give it back. kubectl
// keeps it in last-applied-configuration; objects created by Helm, server-side apply or Argo CD have no such
// record, so Linnet stores one itself in Flagger's `flagger.kubernetes.io/original-configuration` annotation.
import type { VirtualServiceResource } from '../reconcile/cluster-types.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const ORIGINAL_CONFIGURATION = 'flagger.kubernetes.io/original-configuration';

/**
 * The annotations to apply on a taken-over VirtualService: the stored original (kept on every later apply, or
 * server-side apply would drop it), or the live spec now, the first time Linnet takes it over.
 */
export function originalConfigurationAnnotation(live: VirtualServiceResource): Record<string, string> {
  const annotations = live.metadata?.annotations ?? {};
  const stored = annotations[ORIGINAL_CONFIGURATION];
  if (stored !== undefined) return { [ORIGINAL_CONFIGURATION]: stored };
  if (annotations[LAST_APPLIED] !== undefined) return {};
  return { [ORIGINAL_CONFIGURATION]: JSON.stringify({ spec: live.spec ?? {} }) };
}

/** The spec to restore: kubectl's record first, then the stored original; undefined if there is none. */
export function originalSpecOf(virtualService: VirtualServiceResource): Record<string, unknown> | undefined {
  const annotations = virtualService.metadata?.annotations ?? {};
  for (const key of [LAST_APPLIED, ORIGINAL_CONFIGURATION]) {
    const text = annotations[key];
    if (!text) continue;
    try {
      const parsed = JSON.parse(text) as { spec?: Record<string, unknown> } & Record<string, unknown>;
      return key === LAST_APPLIED ? parsed.spec : (parsed.spec ?? parsed);
    } catch {
      // An unreadable annotation is no record.
    }
  }
  return undefined;
}
