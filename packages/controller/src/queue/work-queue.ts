import { PerKeyExponentialBackoff } from './rate-limiter.ts';
import type { RetryBackoffOptions } from './rate-limiter.ts';
import { systemTimers } from './timers.ts';
import type { Timers } from './timers.ts';

/**
 * A deduplicating queue of object keys ("namespace/name"), with client-go's guarantees:
 * - a key is queued at most once however often it is added;
 * - ready keys are handed out by the time their work fell due, oldest first (FIFO among equal times): a delayed
 *   add is due at its deadline, not when its timer ran, and work that continues an earlier step (a finished check)
 *   can say when that step fell due, so it is not queued behind everything that arrived meanwhile;
 * - a key handed out by `get` is not handed out again until `done`; if it was added meanwhile, it is queued again
 *   at `done`, so the change that arrived during processing is not lost;
 * - `addAfter` keeps one timer per key and the earlier deadline wins;
 * - `addRateLimited` retries a failing key with per-key exponential backoff until `forget`.
 */
export interface WorkQueue {
  /** Queue `key`; `dueAtMs` (on the queue's clock, default now) is when its work fell due. */
  add(key: string, dueAtMs?: number): void;
  addAfter(key: string, delayMs: number): void;
  addRateLimited(key: string): void;
  /** Reset the key's failure backoff (after a successful run). */
  forget(key: string): void;
  /** How many times the key has failed since it was last forgotten. */
  failureCount(key: string): number;
  /** The next key to process, waiting for one; undefined once the queue is shut down. */
  get(): Promise<string | undefined>;
  /** Mark the key returned by `get` as processed. */
  done(key: string): void;
  /** Keys ready to be processed now. */
  depth(): number;
  /** Keys waiting for a delayed add. */
  delayedCount(): number;
  /** Stop handing out keys; pending and delayed keys are dropped, waiting `get` calls resolve undefined. */
  shutDown(): void;
  isShutDown(): boolean;
}

export interface WorkQueueOptions {
  timers?: Timers;
  retryBackoff?: RetryBackoffOptions;
}

interface ReadyKey {
  key: string;
  dueAtMs: number;
}

export class DelayingWorkQueue implements WorkQueue {
  private readonly timers: Timers;
  private readonly backoff: PerKeyExponentialBackoff;
  /** Ready keys, sorted by due time, then by arrival. */
  private readonly ready: ReadyKey[] = [];
  /** Keys that need processing (ready, or re-added while processing), with the earliest time their work fell due. */
  private readonly dirty = new Map<string, number>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { at: number; cancel: () => void }>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.timers = options.timers ?? systemTimers;
    this.backoff = new PerKeyExponentialBackoff(options.retryBackoff);
  }

  add(key: string, dueAtMs: number = this.timers.now()): void {
    if (this.shuttingDown) return;
    const queuedDueAt = this.dirty.get(key);
    if (queuedDueAt !== undefined && queuedDueAt <= dueAtMs) return;
    this.dirty.set(key, dueAtMs);
    if (this.processing.has(key)) return;
    if (queuedDueAt !== undefined) this.removeReady(key);
    this.enqueueReady(key, dueAtMs);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.timers.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.timers.schedule(() => {
      this.delayed.delete(key);
      this.add(key, at);
    }, delayMs);
    this.delayed.set(key, { at, cancel });
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.backoff.nextDelay(key));
  }

  forget(key: string): void {
    this.backoff.forget(key);
  }

  failureCount(key: string): number {
    return this.backoff.failureCount(key);
  }

  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const next = this.ready.shift();
    if (next !== undefined) return Promise.resolve(this.startProcessing(next.key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    const dueAtMs = this.dirty.get(key);
    if (!this.shuttingDown && dueAtMs !== undefined) this.enqueueReady(key, dueAtMs);
  }

  depth(): number {
    return this.ready.length;
  }

  delayedCount(): number {
    return this.delayed.size;
  }

  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { cancel } of this.delayed.values()) cancel();
    this.delayed.clear();
    this.ready.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  isShutDown(): boolean {
    return this.shuttingDown;
  }

  private enqueueReady(key: string, dueAtMs: number): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(this.startProcessing(key));
      return;
    }
    // Most keys are due now, after everything queued: search from the back (equal times keep arrival order).
    let index = this.ready.length;
    while (index > 0 && (this.ready[index - 1]?.dueAtMs ?? -Infinity) > dueAtMs) index--;
    this.ready.splice(index, 0, { key, dueAtMs });
  }

  private removeReady(key: string): void {
    const index = this.ready.findIndex((entry) => entry.key === key);
    if (index >= 0) this.ready.splice(index, 1);
  }

  private startProcessing(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
