import { objectKey, objectKeyOf } from '../kube/kube-object.ts';
import type { KubeObject } from '../kube/kube-object.ts';

/** The synchronous, read-only view of an informer's cache. Objects are shared: never mutate them. */
export interface ReadonlyObjectStore<T extends KubeObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  /** By "namespace/name" (or "name" when cluster-scoped). */
  getByKey(key: string): T | undefined;
  /** Every object, or those in one namespace. */
  list(namespace?: string): T[];
  keys(): string[];
  readonly size: number;
}

export interface StoreChanges<T> {
  added: T[];
  updated: Array<{ previous: T; current: T }>;
  deleted: T[];
}

/** The informer's cache, keyed like the work queue. */
export class ObjectStore<T extends KubeObject> implements ReadonlyObjectStore<T> {
  private readonly objects = new Map<string, T>();

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(objectKey(namespace ? { namespace, name } : { name }));
  }

  getByKey(key: string): T | undefined {
    return this.objects.get(key);
  }

  list(namespace?: string): T[] {
    const all = [...this.objects.values()];
    return namespace === undefined ? all : all.filter((object) => object.metadata?.namespace === namespace);
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  get size(): number {
    return this.objects.size;
  }

  /** Insert or replace; returns the object it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKeyOf(object);
    const previous = this.objects.get(key);
    this.objects.set(key, object);
    return previous;
  }

  /** Remove; returns the object that was stored (which may be newer than the tombstone passed in). */
  remove(object: T): T | undefined {
    const key = objectKeyOf(object);
    const previous = this.objects.get(key);
    this.objects.delete(key);
    return previous;
  }

  /**
   * Make the store hold exactly `objects` (a fresh list) and report what changed. Objects whose resourceVersion is
   * unchanged count as unchanged, so a relist after a broken watch only reports what was really missed.
   */
  replaceAll(objects: readonly T[]): StoreChanges<T> {
    const changes: StoreChanges<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<string>();
    for (const current of objects) {
      const key = objectKeyOf(current);
      seen.add(key);
      const previous = this.objects.get(key);
      this.objects.set(key, current);
      if (!previous) changes.added.push(current);
      else if (previous.metadata?.resourceVersion !== current.metadata?.resourceVersion) {
        changes.updated.push({ previous, current });
      }
    }
    for (const [key, previous] of this.objects) {
      if (!seen.has(key)) {
        this.objects.delete(key);
        changes.deleted.push(previous);
      }
    }
    return changes;
  }
}
