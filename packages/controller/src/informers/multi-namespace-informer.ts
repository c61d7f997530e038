// The informer of a controller that watches a list of namespaces (-namespace=a,b): one watch per namespace (the API
// has no watch over a chosen set of namespaces), seen by the rest of the controller as one informer with one store.
import type { KubeObject } from '../kube/kube-object.ts';
import { createInformer } from './informer.ts';
import type { Informer, InformerHandler, InformerOptions, InformerStats } from './informer.ts';
import type { ReadonlyObjectStore } from './object-store.ts';

/**
 * An informer over `namespaces`: all namespaces when the list is empty, a plain informer for one namespace, else
 * one informer per namespace behind a single store and handler list.
 */
export function createNamespacesInformer<T extends KubeObject>(
  options: Omit<InformerOptions<T>, 'namespace'>,
  namespaces: readonly string[],
): Informer<T> {
  if (namespaces.length <= 1) return createInformer({ ...options, ...(namespaces[0] && { namespace: namespaces[0] }) });
  return new MultiNamespaceInformer(
    new Map(namespaces.map((namespace) => [namespace, createInformer({ ...options, namespace })])),
  );
}

class MultiNamespaceInformer<T extends KubeObject> implements Informer<T> {
  readonly type;
  readonly store: ReadonlyObjectStore<T>;
  private readonly members: ReadonlyMap<string, Informer<T>>;

  constructor(members: ReadonlyMap<string, Informer<T>>) {
    const first = [...members.values()][0];
    if (!first) throw new Error('a multi-namespace informer needs at least one namespace');
    this.type = first.type;
    this.members = members;
    this.store = new NamespaceStores(members);
  }

  addHandler(handler: InformerHandler<T>): () => void {
    const removers = [...this.members.values()].map((member) => member.addHandler(handler));
    return () => {
      for (const remove of removers) remove();
    };
  }

  start(): void {
    for (const member of this.members.values()) member.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.members.values()].map((member) => member.stop()));
  }

  hasSynced(): boolean {
    return [...this.members.values()].every((member) => member.hasSynced());
  }

  async waitForSync(timeoutMs: number): Promise<void> {
    await Promise.all([...this.members.values()].map((member) => member.waitForSync(timeoutMs)));
  }

  /** Counts summed over the namespaces; the last restart and error of any; resourceVersion "namespace=version,…". */
  stats(): InformerStats {
    const all = [...this.members].map(([namespace, member]) => ({ namespace, stats: member.stats() }));
    const restarted = all.filter(({ stats }) => stats.lastRestartReason !== undefined).at(-1)?.stats;
    return {
      lists: all.reduce((sum, { stats }) => sum + stats.lists, 0),
      watches: all.reduce((sum, { stats }) => sum + stats.watches, 0),
      restarts: all.reduce((sum, { stats }) => sum + stats.restarts, 0),
      lastRestartReason: restarted?.lastRestartReason,
      lastError: all.map(({ stats }) => stats.lastError).findLast((error) => error !== undefined),
      resourceVersion: all.map(({ namespace, stats }) => `${namespace}=${stats.resourceVersion}`).join(','),
    };
  }
}

/** The per-namespace stores read as one. */
class NamespaceStores<T extends KubeObject> implements ReadonlyObjectStore<T> {
  private readonly members: ReadonlyMap<string, Informer<T>>;

  constructor(members: ReadonlyMap<string, Informer<T>>) {
    this.members = members;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return namespace === undefined ? undefined : this.members.get(namespace)?.store.get(namespace, name);
  }

  getByKey(key: string): T | undefined {
    const slash = key.indexOf('/');
    return slash < 0 ? undefined : this.members.get(key.slice(0, slash))?.store.getByKey(key);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined) return this.members.get(namespace)?.store.list(namespace) ?? [];
    return [...this.members.values()].flatMap((member) => member.store.list());
  }

  keys(): string[] {
    return [...this.members.values()].flatMap((member) => member.store.keys());
  }

  get size(): number {
    let size = 0;
    for (const member of this.members.values()) size += member.store.size;
    return size;
  }
}
