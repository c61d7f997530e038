// The reconcile loop's only way to look at the cluster: the informer caches (no GETs on the hot path; the data of a
// referenced ConfigMap or Secret is fetched only when its resourceVersion changed), corrected by Linnet's own recent
// writes; and its way to write, which records those writes.
import type { ReadonlyObjectStore } from '../informers/index.ts';
import type { KubeAccess, KubeObject, ObjectLocator, ResourceType } from '../kube/index.ts';
import { NotFoundError, objectKey, resourceName } from '../kube/index.ts';
import type { ConfigData } from './config-data.ts';
import type { CanaryResource } from './cluster-types.ts';
import { RecentWrites } from './recent-writes.ts';
import { configsReferencedBy } from './referenced-configs.ts';

/** The informer stores by resource type. */
export interface CacheStores {
  store<T extends KubeObject>(type: ResourceType<T>): ReadonlyObjectStore<T>;
}

const slotOf = (type: ResourceType, locator: ObjectLocator): string => `${resourceName(type)}|${objectKey(locator)}`;

/**
 * For the informers' onDelete: a deleted object's remembered write is dropped, else the overlay would show it as
 * "not in the cache yet" and a reconcile would act on a deleted Canary (and publish its metrics again) for a minute.
 */
export function forgetWriteOf(recentWrites: RecentWrites, type: ResourceType, object: KubeObject): void {
  const name = object.metadata?.name;
  if (!name) return;
  const namespace = object.metadata?.namespace;
  recentWrites.forget(slotOf(type, namespace ? { namespace, name } : { name }));
}

export class ClusterView {
  private readonly stores: CacheStores;
  private readonly recentWrites: RecentWrites;
  private readonly configData: ConfigData | undefined;

  /** `configData` when the stores hold ConfigMaps and Secrets as metadata only (the controller's informers). */
  constructor(stores: CacheStores, recentWrites: RecentWrites, configData?: ConfigData) {
    this.stores = stores;
    this.recentWrites = recentWrites;
    this.configData = configData;
  }

  /** Loads the data of the ConfigMaps and Secrets a reconcile of `canary` may read (GETs only for changed ones). */
  async loadConfigsOf(canary: CanaryResource): Promise<void> {
    await this.configData?.load(configsReferencedBy(canary, this));
  }

  get<T extends KubeObject>(type: ResourceType<T>, namespace: string, name: string): T | undefined {
    const cached = this.configData?.holds(type)
      ? this.configData.get(type, namespace, name)
      : this.stores.store(type).get(namespace, name);
    return this.recentWrites.resolve(slotOf(type, { namespace, name }), cached);
  }
}

/** Writes through KubeAccess and remembers each result for the ClusterView. */
export class ClusterWriter {
  private readonly access: KubeAccess;
  private readonly recentWrites: RecentWrites;
  private readonly configData: ConfigData | undefined;

  constructor(access: KubeAccess, recentWrites: RecentWrites, configData?: ConfigData) {
    this.access = access;
    this.recentWrites = recentWrites;
    this.configData = configData;
  }

  /** Server-side apply (field manager "linnet", conflicts forced: Linnet owns what it applies). */
  async apply<T extends KubeObject>(type: ResourceType<T>, object: T, live: KubeObject | undefined): Promise<T> {
    const written = await this.access.apply(type, object);
    this.remember(type, live, written);
    return written;
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType<T>,
    live: T,
    patch: Readonly<Record<string, unknown>>,
  ): Promise<T> {
    const locator = { namespace: live.metadata?.namespace, name: live.metadata?.name ?? '' };
    try {
      const written = await this.access.mergePatch(type, locator, patch);
      this.remember(type, live, written);
      return written;
    } catch (error) {
      // The object is gone (e.g. garbage-collected): a remembered write must not make it look present any longer.
      if (error instanceof NotFoundError) this.recentWrites.forget(slotOf(type, locator));
      throw error;
    }
  }

  /** PUT status guarded by the object's resourceVersion; throws ConflictError when it changed meanwhile. */
  async replaceStatus<T extends KubeObject>(type: ResourceType<T>, object: T): Promise<T> {
    const written = await this.access.replaceStatus(type, object);
    this.remember(type, object, written);
    return written;
  }

  private remember(type: ResourceType, previous: KubeObject | undefined, written: KubeObject): void {
    const name = written.metadata?.name;
    if (!name) return;
    const namespace = written.metadata?.namespace;
    this.configData?.remember(type, written);
    this.recentWrites.record(
      slotOf(type, namespace ? { namespace, name } : { name }),
      previous?.metadata?.resourceVersion,
      written,
    );
  }
}
