// What an informer keeps of each object. Every cached object lives as long as the object exists, so fields no
// decision reads are dropped as they arrive (controller-runtime's DefaultTransform does the same for managedFields).
import type { KubeObject } from '../kube/kube-object.ts';

/**
 * A copy of the whole object as `kubectl apply` last sent it: as large as the object, read by nothing in Linnet
 * (generated objects never copy it, see builders/metadata-filters.ts).
 */
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops `metadata.managedFields` (server-side apply bookkeeping, often larger than the spec) and the last-applied
 * annotation. Mutates and returns `object`: informers call it on freshly parsed JSON that nothing else holds.
 */
export function stripForCache<T extends KubeObject>(object: T): T {
  const metadata = object.metadata;
  if (!metadata) return object;
  delete metadata.managedFields;
  if (metadata.annotations && LAST_APPLIED_ANNOTATION in metadata.annotations) {
    delete metadata.annotations[LAST_APPLIED_ANNOTATION];
  }
  return object;
}
