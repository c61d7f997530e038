// The data of the ConfigMaps and Secrets that Canaries refer to. Their informers cache metadata only: a cluster's
// Secrets and ConfigMaps hold Helm releases, certificates and bundles, of which Linnet reads a handful. The data of a
// referenced object is fetched when a reconcile first needs it and again only when its resourceVersion changes, so
// an idle Canary costs no request and an unrelated Secret costs only its metadata.
import { stripForCache, type ReadonlyObjectStore } from '../informers/index.ts';
import { objectKey, resourceName, type KubeAccess, type KubeObject, type ResourceType } from '../kube/index.ts';
import { clusterTypes } from './cluster-types.ts';

/** Which config objects a reconcile will read. */
export interface ConfigLocation {
  type: typeof clusterTypes.configMap | typeof clusterTypes.secret;
  namespace: string;
  name: string;
}

export class ConfigDataNotLoadedError extends Error {
  readonly reason = 'ConfigDataNotLoaded';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigDataNotLoadedError';
  }
}

const DATA_TYPES: ReadonlySet<string> = new Set([clusterTypes.configMap, clusterTypes.secret].map(resourceName));

const slotOf = (type: ResourceType, namespace: string, name: string): string =>
  `${resourceName(type)}|${objectKey({ namespace, name })}`;

export class ConfigData {
  private readonly access: KubeAccess;
  private readonly metadata: (type: ResourceType) => ReadonlyObjectStore<KubeObject>;
  private readonly objects = new Map<string, KubeObject>();

  /** `metadata` gives the metadata-only informer store of ConfigMaps and of Secrets. */
  constructor(access: KubeAccess, metadata: (type: ResourceType) => ReadonlyObjectStore<KubeObject>) {
    this.access = access;
    this.metadata = metadata;
  }

  /** True for the types whose informers hold metadata only. */
  holds(type: ResourceType): boolean {
    return DATA_TYPES.has(resourceName(type));
  }

  /** Fetches the objects not held yet, or held at another resourceVersion than the metadata cache shows. */
  async load(locations: readonly ConfigLocation[]): Promise<void> {
    await Promise.all(
      locations.map(async ({ type, namespace, name }) => {
        const slot = slotOf(type, namespace, name);
        const version = this.metadata(type).get(namespace, name)?.metadata?.resourceVersion;
        // Absent from the cache: nothing to read, or Linnet just created it (remembered; the watch event follows).
        if (version === undefined || this.objects.get(slot)?.metadata?.resourceVersion === version) return;
        const fetched = await this.access.get(type, { namespace, name });
        if (fetched) this.objects.set(slot, stripForCache(fetched));
        else this.objects.delete(slot);
      }),
    );
  }

  /**
   * The object with its data, as last loaded; undefined when the metadata cache has no such object. Reading one that
   * exists but was not loaded is a bug in what the reconcile loads; it throws rather than answer without data.
   */
  get<T extends KubeObject>(type: ResourceType<T>, namespace: string, name: string): T | undefined {
    if (!this.metadata(type).get(namespace, name)) return undefined;
    const held = this.objects.get(slotOf(type, namespace, name));
    if (!held) {
      throw new ConfigDataNotLoadedError(`${type.kind} ${namespace}/${name} was read before its data was loaded`);
    }
    return held as T;
  }

  /** An object Linnet wrote (the API server's answer holds its data): no GET needed for that version. */
  remember(type: ResourceType, written: KubeObject): void {
    const { namespace, name } = written.metadata ?? {};
    if (!this.holds(type) || !namespace || !name) return;
    this.objects.set(slotOf(type, namespace, name), stripForCache(structuredClone(written)));
  }

  /** For the informers' onDelete: a deleted object's data is dropped. */
  forget(type: ResourceType, object: KubeObject): void {
    const { namespace, name } = object.metadata ?? {};
    if (namespace && name) this.objects.delete(slotOf(type, namespace, name));
  }

  /** Objects whose data is held (for tests and logs). */
  get size(): number {
    return this.objects.size;
  }
}
