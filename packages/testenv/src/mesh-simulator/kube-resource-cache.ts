import { setTimeout as delay } from 'node:timers/promises';

/**
 * A minimal informer: list, then watch from the list's resourceVersion, keeping converted objects by
 * "<namespace>/<name>". It falls back to polling by itself: whenever a watch cannot be opened or breaks, the next
 * round re-lists after `pollIntervalMs`, so a cluster that refuses watches is simply polled at that period. A
 * resource that is not served yet (Istio CRDs installed after the simulator starts) reads as empty and is looked for
 * again every period.
 */

export interface ListResult {
  readonly items: readonly unknown[];
  readonly resourceVersion: string | undefined;
}

export interface ResourceEndpoint {
  /** e.g. "networking.istio.io/v1 virtualservices", for logs. */
  readonly description: string;
  /** Cluster-wide collection path, e.g. /apis/apps/v1/deployments. */
  readonly watchPath: string;
  list(): Promise<ListResult>;
}

export type WatchEventHandler = (type: string, object: unknown) => void;
/** Opens a watch stream; `onDone` fires exactly once when it ends (null error: closed normally). */
export type WatchFunction = (
  path: string,
  query: Record<string, string | number | boolean>,
  onEvent: WatchEventHandler,
  onDone: (error: unknown) => void,
) => Promise<{ abort(): void }>;

export type CacheMode = 'starting' | 'watch' | 'poll' | 'not-served';

export interface KubeResourceCacheOptions<T> {
  readonly name: string;
  /** Tried in order on every list; the first one that is served wins (e.g. VirtualService v1, then v1beta1). */
  readonly endpoints: readonly ResourceEndpoint[];
  readonly convert: (object: unknown) => T | undefined;
  readonly watch: WatchFunction;
  readonly pollIntervalMs: number;
  /**
   * Server-side watch timeout. Kept under @kubernetes/client-node's 30 s inactivity abort, so quiet watches end
   * cleanly and are resumed from the last resourceVersion instead of failing.
   */
  readonly watchTimeoutSeconds?: number;
  readonly log: (message: string) => void;
}

type WatchOutcome = {
  readonly status: 'closed' | 'expired' | 'failed';
  readonly resourceVersion: string | undefined;
  readonly error?: unknown;
};

function metadataOf(object: unknown): { key: string | undefined; resourceVersion: string | undefined } {
  const metadata =
    typeof object === 'object' && object !== null
      ? (object as { metadata?: Record<string, unknown> }).metadata
      : undefined;
  const name = metadata?.['name'];
  const namespace = metadata?.['namespace'];
  const resourceVersion = metadata?.['resourceVersion'];
  return {
    key: typeof name === 'string' ? `${typeof namespace === 'string' ? namespace : ''}/${name}` : undefined,
    resourceVersion: typeof resourceVersion === 'string' ? resourceVersion : undefined,
  };
}

/** Converted views are small plain data, so JSON equality is exact and cheap enough. */
function sameValue(a: unknown, b: unknown): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  return code === 404 || statusCode === 404;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

export class KubeResourceCache<T> {
  private readonly options: KubeResourceCacheOptions<T>;
  private readonly objects = new Map<string, T>();
  private readonly stopController = new AbortController();
  private currentWatch: { abort(): void } | undefined;
  private syncedFlag = false;
  private revisionCounter = 0;
  private cachedValues: { revision: number; values: T[] } | undefined;
  private modeValue: CacheMode = 'starting';
  private loop: Promise<void> | undefined;

  constructor(options: KubeResourceCacheOptions<T>) {
    this.options = options;
  }

  /** True once the first list round finished (an unserved resource counts: it is known to be empty). */
  get synced(): boolean {
    return this.syncedFlag;
  }

  /** Changes whenever the cached set changes. */
  get revision(): number {
    return this.revisionCounter;
  }

  get mode(): CacheMode {
    return this.modeValue;
  }

  values(): T[] {
    if (this.cachedValues?.revision !== this.revisionCounter) {
      this.cachedValues = { revision: this.revisionCounter, values: [...this.objects.values()] };
    }
    return this.cachedValues.values;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.currentWatch?.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const { name, log } = this.options;
    while (!this.stopped) {
      let listed: { endpoint: ResourceEndpoint | undefined; result: ListResult };
      try {
        listed = await this.listFirstServed();
      } catch (error) {
        if (this.stopped) return;
        log(`${name}: list failed (${describeError(error)}); retrying`);
        await this.pause();
        continue;
      }
      if (this.stopped) return;
      this.replaceAll(listed.result.items);
      this.syncedFlag = true;
      const endpoint = listed.endpoint;
      if (endpoint === undefined) {
        if (this.modeValue !== 'not-served') log(`${name}: not served by the API server; looking again periodically`);
        this.modeValue = 'not-served';
        await this.pause();
        continue;
      }
      let resourceVersion = listed.result.resourceVersion;
      while (!this.stopped) {
        const openedAt = Date.now();
        const outcome = await this.watchOnce(endpoint, resourceVersion);
        resourceVersion = outcome.resourceVersion;
        if (outcome.status === 'closed') {
          // Guards against a server that ends every watch at once: never re-watch faster than the poll period.
          if (Date.now() - openedAt < this.options.pollIntervalMs) await this.pause();
          continue;
        }
        if (outcome.status === 'failed' && !this.stopped) {
          if (this.modeValue !== 'poll')
            log(
              `${name}: watch failed (${describeError(outcome.error)}); polling every ${this.options.pollIntervalMs} ms`,
            );
          this.modeValue = 'poll';
          await this.pause();
        }
        break; // re-list: after a failure (poll fallback) or an expired resourceVersion (410 Gone)
      }
    }
  }

  private async listFirstServed(): Promise<{ endpoint: ResourceEndpoint | undefined; result: ListResult }> {
    for (const endpoint of this.options.endpoints) {
      try {
        return { endpoint, result: await endpoint.list() };
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return { endpoint: undefined, result: { items: [], resourceVersion: undefined } };
  }

  private watchOnce(endpoint: ResourceEndpoint, resourceVersion: string | undefined): Promise<WatchOutcome> {
    return new Promise((resolve) => {
      let latestVersion = resourceVersion;
      let expired = false;
      let opened = false;
      let finished = false;
      const onEvent: WatchEventHandler = (type, object) => {
        if (type === 'ERROR') {
          // A Status object, typically 410 "too old resource version": the stream ends and we must re-list.
          expired = true;
          return;
        }
        opened = true;
        this.markWatching(endpoint);
        const { key, resourceVersion: version } = metadataOf(object);
        if (version !== undefined) latestVersion = version;
        if (type === 'BOOKMARK' || key === undefined) return;
        if (type === 'DELETED') this.remove(key);
        else if (type === 'ADDED' || type === 'MODIFIED') this.upsert(key, object);
      };
      const onDone = (error: unknown): void => {
        finished = true;
        this.currentWatch = undefined;
        if (expired) resolve({ status: 'expired', resourceVersion: latestVersion });
        else if (error === null || error === undefined || this.stopped) {
          if (!this.stopped) this.markWatching(endpoint);
          resolve({ status: 'closed', resourceVersion: latestVersion });
        }
        // A stream that delivered events and then broke is resumed once by re-listing; one that never opened is failing.
        else resolve({ status: opened ? 'expired' : 'failed', resourceVersion: latestVersion, error });
      };
      const query: Record<string, string | number | boolean> = {
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchTimeoutSeconds ?? 20,
      };
      if (latestVersion !== undefined) query['resourceVersion'] = latestVersion;
      this.options.watch(endpoint.watchPath, query, onEvent, onDone).then(
        (handle) => {
          if (finished) return;
          this.currentWatch = handle;
          if (this.stopped) handle.abort();
          this.markWatching(endpoint);
        },
        (error: unknown) => onDone(error ?? new Error('watch could not be opened')),
      );
    });
  }

  private markWatching(endpoint: ResourceEndpoint): void {
    if (this.modeValue !== 'watch') this.options.log(`${this.options.name}: watching ${endpoint.description}`);
    this.modeValue = 'watch';
  }

  private pause(): Promise<void> {
    return delay(this.options.pollIntervalMs, undefined, { signal: this.stopController.signal }).catch(() => undefined);
  }

  private upsert(key: string, object: unknown): void {
    const converted = this.options.convert(object);
    if (converted === undefined) this.remove(key);
    // Most Deployment updates are status noise irrelevant to the simulator; only real changes bump the revision.
    else if (!sameValue(this.objects.get(key), converted)) {
      this.objects.set(key, converted);
      this.revisionCounter++;
    }
  }

  private remove(key: string): void {
    if (this.objects.delete(key)) this.revisionCounter++;
  }

  private replaceAll(items: readonly unknown[]): void {
    const next = new Map<string, T>();
    for (const item of items) {
      const { key } = metadataOf(item);
      const converted = key === undefined ? undefined : this.options.convert(item);
      if (key !== undefined && converted !== undefined) next.set(key, converted);
    }
    const unchanged =
      next.size === this.objects.size && [...next].every(([key, value]) => sameValue(this.objects.get(key), value));
    if (unchanged) return;
    this.objects.clear();
    for (const [key, value] of next) this.objects.set(key, value);
    this.revisionCounter++;
  }
}
