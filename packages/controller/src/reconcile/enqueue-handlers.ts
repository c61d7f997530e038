// Informer callbacks that turn object changes into queue keys of the Canaries they concern: the Canary itself (spec
// changes and deletion, not Linnet's own status writes), its target workload, its tracked ConfigMaps and Secrets,
// and the objects it generated (by owner reference).
import { ACTION_ANNOTATION, ACTION_REQUESTED_AT_ANNOTATION } from '@linnet/api';
import type { InformerHandler } from '../informers/index.ts';
import { objectKeyOf, type KubeObject } from '../kube/index.ts';
import type { CanaryIndex } from './canary-index.ts';
import type { CanaryResource } from './cluster-types.ts';

export type Enqueue = (canaryKey: string) => void;

const MANUAL_CONTROL_ANNOTATIONS = [ACTION_ANNOTATION, ACTION_REQUESTED_AT_ANNOTATION] as const;

/**
 * Canary changes: a new spec (generation), deletion, finalizer changes, or a manual-control request (annotations,
 * which leave the generation alone); status-only updates are Linnet's own.
 */
export function canaryHandler(
  enqueue: Enqueue,
  onDeleted: (canary: CanaryResource) => void,
): InformerHandler<CanaryResource> {
  return {
    onAdd: (canary) => enqueue(objectKeyOf(canary)),
    onUpdate: (previous, current) => {
      const before = previous.metadata ?? {};
      const after = current.metadata ?? {};
      const changed =
        before.generation !== after.generation ||
        before.deletionTimestamp !== after.deletionTimestamp ||
        (before.finalizers ?? []).join(',') !== (after.finalizers ?? []).join(',') ||
        MANUAL_CONTROL_ANNOTATIONS.some((key) => before.annotations?.[key] !== after.annotations?.[key]);
      if (changed) enqueue(objectKeyOf(current));
    },
    onDelete: (canary) => {
      onDeleted(canary);
      enqueue(objectKeyOf(canary));
    },
    // The informer's periodic resync is the safety net for anything a watch missed.
    onResync: (canary) => enqueue(objectKeyOf(canary)),
  };
}

/** Changes of objects that Canaries refer to by name (`kind` as indexed) or own. */
export function relatedObjectHandler<T extends KubeObject>(
  kind: string,
  index: CanaryIndex,
  enqueue: Enqueue,
): InformerHandler<T> {
  const notify = (object: T): void => {
    for (const key of index.canariesFor(kind, object)) enqueue(key);
  };
  return { onAdd: notify, onUpdate: (_previous, current) => notify(current), onDelete: notify };
}
