// Read-your-writes over the informer caches. A watch event for Linnet's own write can arrive after the next
// reconcile has started; deciding from the older cached object would repeat a step (a second promotion, a weight
// reset). Linnet remembers what each write returned and which versions it superseded, and prefers that object
// until the cache has caught up.
import type { KubeObject } from '../kube/index.ts';

interface RememberedWrite {
  object: KubeObject;
  /** resourceVersions known to be older than `object`. */
  superseded: Set<string>;
  writtenAtMs: number;
}

export interface RecentWritesOptions {
  /** Forget a write after this long even if the cache never showed it (e.g. the object was deleted). Default 60 s. */
  maxAgeMs?: number;
  now?: () => number;
}

export class RecentWrites {
  private readonly writes = new Map<string, RememberedWrite>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: RecentWritesOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Remember `written`, which replaced the version `previousVersion` (undefined for a creation). */
  record(slot: string, previousVersion: string | undefined, written: KubeObject): void {
    const earlier = this.writes.get(slot);
    const superseded = new Set(earlier?.superseded);
    const earlierVersion = earlier?.object.metadata?.resourceVersion;
    if (earlierVersion) superseded.add(earlierVersion);
    if (previousVersion) superseded.add(previousVersion);
    // Re-inserted so the map stays in write order and expired writes can be dropped from its front.
    this.writes.delete(slot);
    this.writes.set(slot, { object: written, superseded, writtenAtMs: this.now() });
    this.dropExpired();
  }

  /** The freshest known state: the cached object, unless it is one Linnet's last write replaced (or not there yet). */
  resolve<T extends KubeObject>(slot: string, cached: T | undefined): T | undefined {
    const write = this.writes.get(slot);
    if (!write) return cached;
    if (this.now() - write.writtenAtMs > this.maxAgeMs) {
      this.writes.delete(slot);
      return cached;
    }
    const cachedVersion = cached?.metadata?.resourceVersion;
    if (cached === undefined || (cachedVersion !== undefined && write.superseded.has(cachedVersion))) {
      return write.object as T;
    }
    // The cache shows our write or something newer.
    this.writes.delete(slot);
    return cached;
  }

  forget(slot: string): void {
    this.writes.delete(slot);
  }

  /** Writes remembered (for tests). */
  get size(): number {
    return this.writes.size;
  }

  // A write whose object is never read again (its Canary was deleted) would otherwise be held for good.
  private dropExpired(): void {
    const now = this.now();
    for (const [slot, write] of this.writes) {
      if (now - write.writtenAtMs <= this.maxAgeMs) return;
      this.writes.delete(slot);
    }
  }
}
