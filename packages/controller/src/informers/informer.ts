import { setTimeout as delay } from 'node:timers/promises';
import type { KubeAccess, WatchEvent } from '../kube/kube-access.ts';
import { GoneError, KubeError } from '../kube/kube-errors.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import { resourceName } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { createSilentLogger, describeError } from '../observability/logger.ts';
import type { Logger } from '../observability/logger.ts';
import { stripForCache } from './cache-transform.ts';
import { ObjectStore } from './object-store.ts';
import type { ReadonlyObjectStore } from './object-store.ts';
import { RestartBackoff } from './restart-backoff.ts';
import type { RestartBackoffOptions } from './restart-backoff.ts';

/** Callbacks for cache changes. They run synchronously after the cache is updated and must not throw. */
export interface InformerHandler<T extends KubeObject> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, current: T): void;
  /** `object` is the last state seen (after a relist, the cached state before the deletion was noticed). */
  onDelete?(object: T): void;
  /** The periodic resync: every cached object again, unchanged. */
  onResync?(object: T): void;
}

/** Why a watch was restarted; the label of linnet_informer_restarts_total. */
export type InformerRestartReason =
  /** The server ended the watch (timeoutSeconds reached): routine, resumes from the last version. */
  | 'ServerClosed'
  /** Nothing, not even a bookmark, arrived within the inactivity timeout: the connection is presumed dead. */
  | 'WatchdogTimeout'
  /** The resourceVersion was compacted: the informer lists again. */
  | 'Gone'
  /** `interruptWatch` was called. */
  | 'Interrupted'
  /** The list or watch failed with this KubeError reason, or 'Unknown'. */
  | string;

export interface InformerStats {
  /** Completed lists (1 after the initial sync; more after relists). */
  lists: number;
  /** Watches started. */
  watches: number;
  restarts: number;
  lastRestartReason: InformerRestartReason | undefined;
  lastError: { reason: string; message: string } | undefined;
  /** The version the next watch resumes from. */
  resourceVersion: string;
}

export interface Informer<T extends KubeObject> {
  readonly type: ResourceType<T>;
  readonly store: ReadonlyObjectStore<T>;
  /** Register callbacks; a handler added after sync first receives onAdd for every cached object. */
  addHandler(handler: InformerHandler<T>): () => void;
  start(): void;
  /** Stop watching and wait for the loop to end. The cache stays readable. */
  stop(): Promise<void>;
  /** True once the first list has been cached. */
  hasSynced(): boolean;
  /** Resolves once synced; rejects (reason InformerSyncTimeout) after `timeoutMs`. */
  waitForSync(timeoutMs: number): Promise<void>;
  stats(): InformerStats;
}

export interface InformerOptions<T extends KubeObject> {
  access: KubeAccess;
  type: ResourceType<T>;
  /** Only this namespace; default all. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Cache PartialObjectMetadata only (see ListOptions.metadataOnly). */
  metadataOnly?: boolean;
  /**
   * Applied to every object before it is cached and handed to handlers; may mutate it (it is freshly parsed).
   * Default stripForCache.
   */
  transform?: (object: T) => T;
  /** Period of the full resync (onResync for every object); 0 disables. Default 30 s, as Flagger. */
  resyncPeriodMs?: number;
  /** Server-side watch timeout; each watch uses a random value between this and twice this. Default 300 s. */
  watchTimeoutSeconds?: number;
  /**
   * Restart the watch when nothing (no event, no bookmark) arrives for this long. The API server sends a bookmark
   * about once a minute on a quiet watch (measured on 1.36), so silence beyond that means a dead connection.
   * Default 150 s.
   */
  inactivityTimeoutMs?: number;
  backoff?: RestartBackoffOptions;
  logger?: Logger;
  /** Called on every watch restart, e.g. to count linnet_informer_restarts_total. */
  onRestart?(reason: InformerRestartReason): void;
  random?: () => number;
}

export class InformerSyncTimeoutError extends Error {
  readonly reason = 'InformerSyncTimeout';
  constructor(message: string) {
    super(message);
    this.name = 'InformerSyncTimeoutError';
  }
}

type WatchEnd = 'ServerClosed' | 'WatchdogTimeout' | 'Interrupted' | 'Stopped';

/**
 * A supervised list-then-watch loop with a synchronous cache. Unlike client-node's informer it never stops on
 * errors: failures back off with jitter and retry, 410 Gone relists, a silent connection is restarted by a
 * watchdog, and a periodic resync re-emits every object.
 */
export class SupervisedInformer<T extends KubeObject> implements Informer<T> {
  readonly type: ResourceType<T>;
  private readonly objects = new ObjectStore<T>();
  private readonly options: InformerOptions<T>;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly transform: (object: T) => T;
  private readonly handlers = new Set<InformerHandler<T>>();
  private readonly backoff: RestartBackoff;
  private readonly syncWaiters = new Set<() => void>();
  private synced = false;
  private resourceVersion = '';
  private loop: Promise<void> | undefined;
  private stopController = new AbortController();
  private currentWatch: AbortController | undefined;
  private interruption: { resumeFrom: string | undefined } | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private counters = { lists: 0, watches: 0, restarts: 0 };
  private lastRestartReason: InformerRestartReason | undefined;
  private lastError: { reason: string; message: string } | undefined;
  /** 410 answers since the last watch event; more than one in a row means relisting does not help. */
  private goneWithoutProgress = 0;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.type = options.type;
    this.random = options.random ?? Math.random;
    this.transform = options.transform ?? stripForCache;
    this.backoff = new RestartBackoff({ random: this.random, ...options.backoff });
    this.logger = (options.logger ?? createSilentLogger()).child({
      informer: resourceName(options.type),
      ...(options.namespace ? { scope: options.namespace } : {}),
    });
  }

  get store(): ReadonlyObjectStore<T> {
    return this.objects;
  }

  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) for (const object of this.objects.list()) this.call('onAdd', () => handler.onAdd?.(object));
    return () => this.handlers.delete(handler);
  }

  start(): void {
    if (this.loop) return;
    this.stopController = new AbortController();
    this.loop = this.run();
    const resyncPeriodMs = this.options.resyncPeriodMs ?? 30_000;
    if (resyncPeriodMs > 0) this.resyncTimer = setInterval(() => this.resync(), resyncPeriodMs);
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.currentWatch?.abort();
    clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
    await this.loop;
    this.loop = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(timeoutMs: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.syncWaiters.delete(done);
        reject(new InformerSyncTimeoutError(`${resourceName(this.type)} did not sync within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.syncWaiters.add(done);
    });
  }

  stats(): InformerStats {
    return {
      ...this.counters,
      lastRestartReason: this.lastRestartReason,
      lastError: this.lastError,
      resourceVersion: this.resourceVersion,
    };
  }

  /**
   * End the current watch as a broken connection would. The next watch resumes from `resumeFrom` when given (a
   * version the server no longer has forces 410 Gone and a relist), else from the last version seen.
   */
  interruptWatch(resumeFrom?: string): void {
    this.interruption = { resumeFrom };
    this.currentWatch?.abort();
  }

  private async run(): Promise<void> {
    const stopSignal = this.stopController.signal;
    let mustList = true;
    while (!stopSignal.aborted) {
      try {
        if (mustList) {
          await this.relist(stopSignal);
          mustList = false;
        }
        const started = performance.now();
        const end = await this.watchOnce();
        if (end === 'Stopped') break;
        this.noteRestart(end);
        // A server that closes watches at once would otherwise be hammered in a tight loop.
        if (end === 'ServerClosed' && performance.now() - started < 1_000) await this.pause(stopSignal);
      } catch (error) {
        if (stopSignal.aborted) break;
        if (error instanceof GoneError) {
          this.logger.info('resourceVersion expired; listing again', { resourceVersion: this.resourceVersion });
          this.noteRestart('Gone');
          mustList = true;
          // Relisting at once is right after a compaction; a server that keeps answering 410 gets backoff instead.
          if (++this.goneWithoutProgress > 1) await this.pause(stopSignal);
          continue;
        }
        const described = describeError(error);
        this.lastError = { reason: described.reason, message: described.error };
        this.noteRestart(error instanceof KubeError ? error.reason : 'Unknown');
        this.logger.warn(mustList ? 'list failed; retrying' : 'watch failed; retrying', described);
        await this.pause(stopSignal);
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await this.options.access.list(this.type, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      metadataOnly: this.options.metadataOnly,
      signal,
    });
    if (signal.aborted) return;
    const changes = this.objects.replaceAll(items.map(this.transform));
    this.resourceVersion = resourceVersion;
    this.counters.lists++;
    this.backoff.reset();
    this.logger.debug('listed', {
      objects: items.length,
      added: changes.added.length,
      updated: changes.updated.length,
      deleted: changes.deleted.length,
      resourceVersion,
    });
    for (const object of changes.added) this.emit('onAdd', (handler) => handler.onAdd?.(object));
    for (const { previous, current } of changes.updated) {
      this.emit('onUpdate', (handler) => handler.onUpdate?.(previous, current));
    }
    for (const object of changes.deleted) this.emit('onDelete', (handler) => handler.onDelete?.(object));
    if (!this.synced) {
      this.synced = true;
      for (const waiter of this.syncWaiters) waiter();
      this.syncWaiters.clear();
    }
  }

  private async watchOnce(): Promise<WatchEnd> {
    if (this.stopController.signal.aborted) return 'Stopped';
    // An interruption asked for between watches applies to the watch about to start.
    if (this.interruption) return this.takeInterruption();
    const controller = new AbortController();
    this.currentWatch = controller;
    const baseTimeout = this.options.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.round(baseTimeout * (1 + this.random()));
    const inactivityMs = this.options.inactivityTimeoutMs ?? 150_000;
    let watchdogFired = false;
    let watchdog: NodeJS.Timeout | undefined;
    const feedWatchdog = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        watchdogFired = true;
        controller.abort();
      }, inactivityMs);
    };
    this.counters.watches++;
    feedWatchdog();
    try {
      const events = this.options.access.watch(this.type, {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        metadataOnly: this.options.metadataOnly,
        resourceVersion: this.resourceVersion,
        timeoutSeconds,
        allowWatchBookmarks: true,
        signal: controller.signal,
      });
      for await (const event of events) {
        feedWatchdog();
        this.apply(event);
      }
    } finally {
      clearTimeout(watchdog);
      this.currentWatch = undefined;
    }
    if (this.stopController.signal.aborted) return 'Stopped';
    if (this.interruption) return this.takeInterruption();
    return watchdogFired ? 'WatchdogTimeout' : 'ServerClosed';
  }

  private takeInterruption(): 'Interrupted' {
    const resumeFrom = this.interruption?.resumeFrom;
    this.interruption = undefined;
    if (resumeFrom !== undefined) this.resourceVersion = resumeFrom;
    return 'Interrupted';
  }

  private apply(event: WatchEvent<T>): void {
    // Anything arriving, bookmarks included, means the watch works again.
    this.backoff.reset();
    this.goneWithoutProgress = 0;
    if (event.type === 'BOOKMARK') {
      if (event.resourceVersion) this.resourceVersion = event.resourceVersion;
      return;
    }
    const object = this.transform(event.object);
    if (event.type === 'DELETED') {
      this.objects.remove(object);
      this.emit('onDelete', (handler) => handler.onDelete?.(object));
    } else {
      const previous = this.objects.upsert(object);
      if (previous) this.emit('onUpdate', (handler) => handler.onUpdate?.(previous, object));
      else this.emit('onAdd', (handler) => handler.onAdd?.(object));
    }
    const version = object.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
  }

  private resync(): void {
    if (!this.synced) return;
    for (const object of this.objects.list()) this.emit('onResync', (handler) => handler.onResync?.(object));
  }

  private noteRestart(reason: InformerRestartReason): void {
    this.counters.restarts++;
    this.lastRestartReason = reason;
    if (reason !== 'ServerClosed') this.logger.debug('watch restarting', { reason });
    try {
      this.options.onRestart?.(reason);
    } catch (error) {
      this.logger.error('onRestart callback failed', describeError(error));
    }
  }

  private async pause(signal: AbortSignal): Promise<void> {
    await delay(this.backoff.nextDelay(), undefined, { signal }).catch(() => undefined);
  }

  private emit(callback: keyof InformerHandler<T>, invoke: (handler: InformerHandler<T>) => void): void {
    for (const handler of this.handlers) this.call(callback, () => invoke(handler));
  }

  // A throwing handler must not break the watch loop or starve the other handlers.
  private call(callback: string, invoke: () => void): void {
    try {
      invoke();
    } catch (error) {
      this.logger.error('informer handler threw', { callback, ...describeError(error) });
    }
  }
}

export function createInformer<T extends KubeObject>(options: InformerOptions<T>): SupervisedInformer<T> {
  return new SupervisedInformer(options);
}
