import type { WorkQueue } from './work-queue.ts';

/** What a reconcile asks of the queue when it succeeds. */
export interface ReconcileResult {
  /** Run the key again after this long (e.g. the next analysis check); absent = only when something changes. */
  requeueAfterMs?: number;
}

export interface ProcessedReport {
  key: string;
  durationMs: number;
  /** Set when the reconcile threw; the key was re-queued with backoff. */
  error?: unknown;
  requeueAfterMs?: number;
}

export interface WorkerPoolOptions {
  queue: WorkQueue;
  /** Number of keys processed concurrently (Flagger's -threadiness). */
  workers: number;
  reconcile(key: string): Promise<ReconcileResult | void>;
  /** After every run: for metrics and logs. Must not throw. */
  onProcessed?(report: ProcessedReport): void;
  now?: () => number;
}

/**
 * Run `workers` loops that take keys from the queue until it shuts down. A failed key is retried with the queue's
 * per-key backoff; a successful one has its backoff reset and is re-queued after `requeueAfterMs` if asked.
 * Resolves when every loop has finished its current key after shutdown.
 */
export async function runWorkers(options: WorkerPoolOptions): Promise<void> {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
  }
  const now = options.now ?? (() => performance.now());
  const loops = Array.from({ length: options.workers }, () => workerLoop(options, now));
  await Promise.all(loops);
}

async function workerLoop(options: WorkerPoolOptions, now: () => number): Promise<void> {
  const { queue } = options;
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    const started = now();
    let report: ProcessedReport;
    try {
      const result = await options.reconcile(key);
      queue.forget(key);
      const requeueAfterMs = result?.requeueAfterMs;
      if (requeueAfterMs !== undefined) queue.addAfter(key, requeueAfterMs);
      report = { key, durationMs: now() - started, requeueAfterMs };
    } catch (error) {
      queue.addRateLimited(key);
      report = { key, durationMs: now() - started, error };
    } finally {
      queue.done(key);
    }
    options.onProcessed?.(report);
  }
}
