// An in-memory API server for reconcile unit tests: KubeAccess over ObjectStores that double as the informer caches
// (every write is "watched" at once), resourceVersions, optimistic concurrency on status writes, and a hook to
// inject conflicts.
import { ObjectStore, type ReadonlyObjectStore } from '../../informers/index.ts';
import {
  ConflictError,
  KubeError,
  objectKeyOf,
  type EventRecorder,
  type EventToRecord,
  type KubeAccess,
  type KubeObject,
  type ObjectLocator,
  type ResourceType,
} from '../../kube/index.ts';
import type { CacheStores } from '../cluster-view.ts';

export class FakeCluster implements CacheStores {
  private readonly stores = new Map<ResourceType, ObjectStore<KubeObject>>();
  private version = 100;
  /** Number of upcoming status writes to answer with a conflict. */
  conflictsToInject = 0;
  readonly writes: string[] = [];

  store<T extends KubeObject>(type: ResourceType<T>): ReadonlyObjectStore<T> {
    return this.storeOf(type) as ObjectStore<T>;
  }

  put<T extends KubeObject>(type: ResourceType<T>, object: T): T {
    const stored = structuredClone({
      ...object,
      metadata: { ...object.metadata, resourceVersion: this.nextVersion() },
    });
    if (!stored.metadata.uid) stored.metadata.uid = `uid-${stored.metadata.name ?? ''}`;
    if (stored.metadata.generation === undefined) stored.metadata.generation = 1;
    this.storeOf(type).upsert(stored);
    return stored as T;
  }

  get<T extends KubeObject>(type: ResourceType<T>, namespace: string, name: string): T | undefined {
    return this.storeOf(type).get(namespace, name) as T | undefined;
  }

  /** A KubeAccess that reads and writes these stores. */
  access(): KubeAccess {
    const unsupported = (what: string) => () => {
      throw new KubeError('MethodNotAllowed', `${what} is not supported by FakeCluster`);
    };
    return {
      get: async <T extends KubeObject>(type: ResourceType<T>, locator: ObjectLocator) =>
        this.get(type, locator.namespace ?? '', locator.name),
      list: unsupported('list'),
      watch: unsupported('watch'),
      create: async <T extends KubeObject>(type: ResourceType<T>, object: T) => {
        this.writes.push(`create ${type.kind} ${objectKeyOf(object)}`);
        return this.put(type, object);
      },
      apply: async <T extends KubeObject>(type: ResourceType<T>, object: T) => {
        this.writes.push(`apply ${type.kind} ${objectKeyOf(object)}`);
        const live = this.get(type, object.metadata?.namespace ?? '', object.metadata?.name ?? '');
        return this.put(type, { ...live, ...object, metadata: { ...live?.metadata, ...object.metadata } });
      },
      replace: unsupported('replace'),
      replaceStatus: async <T extends KubeObject>(type: ResourceType<T>, object: T) => {
        const live = this.get(type, object.metadata?.namespace ?? '', object.metadata?.name ?? '');
        if (this.conflictsToInject > 0 || live?.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
          this.conflictsToInject = Math.max(0, this.conflictsToInject - 1);
          throw new ConflictError(`status of ${objectKeyOf(object)}: the object has been modified`);
        }
        this.writes.push(`status ${type.kind} ${objectKeyOf(object)}`);
        return this.put(type, { ...live, ...object, metadata: live?.metadata });
      },
      mergePatch: async <T extends KubeObject>(
        type: ResourceType<T>,
        locator: ObjectLocator,
        patch: Readonly<Record<string, unknown>>,
      ) => {
        this.writes.push(`patch ${type.kind} ${locator.namespace ?? ''}/${locator.name} ${JSON.stringify(patch)}`);
        const live = this.get(type, locator.namespace ?? '', locator.name);
        if (!live) throw new KubeError('NotFound', `${locator.name} not found`, 404);
        return this.put(type, mergePatch(live, patch) as T);
      },
      delete: unsupported('delete'),
    };
  }

  private storeOf(type: ResourceType): ObjectStore<KubeObject> {
    let store = this.stores.get(type);
    if (!store) this.stores.set(type, (store = new ObjectStore()));
    return store;
  }

  private nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Records events in memory. */
export class RecordedEvents implements EventRecorder {
  readonly events: EventToRecord[] = [];
  async record(_regarding: KubeObject, event: EventToRecord): Promise<void> {
    this.events.push(event);
  }
}
