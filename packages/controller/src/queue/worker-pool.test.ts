import { describe, expect, it } from '@jest/globals';
import { ManualTimers } from './timers.ts';
import { DelayingWorkQueue } from './work-queue.ts';
import { runWorkers } from './worker-pool.ts';
import type { ProcessedReport } from './worker-pool.ts';

/** A promise with its resolve function, to hold a reconcile open until the test lets it finish. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Let pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('runWorkers', () => {
  it('runs different keys concurrently but one key never twice at once', async () => {
    const queue = new DelayingWorkQueue({ timers: new ManualTimers() });
    const running = new Map<string, number>();
    let maxSameKey = 0;
    let maxTotal = 0;
    const gates = new Map<string, Array<() => void>>();
    const runs: string[] = [];
    const pool = runWorkers({
      queue,
      workers: 3,
      async reconcile(key) {
        runs.push(key);
        running.set(key, (running.get(key) ?? 0) + 1);
        maxSameKey = Math.max(maxSameKey, running.get(key) ?? 0);
        maxTotal = Math.max(
          maxTotal,
          [...running.values()].reduce((a, b) => a + b, 0),
        );
        const held = gate();
        gates.set(key, [...(gates.get(key) ?? []), held.open]);
        await held.promise;
        running.set(key, (running.get(key) ?? 1) - 1);
      },
    });
    queue.add('a');
    queue.add('b');
    await settle();
    queue.add('a'); // arrives while "a" is processing
    await settle();
    expect(runs).toEqual(['a', 'b']);
    for (const open of gates.get('a') ?? []) open();
    await settle();
    expect(runs).toEqual(['a', 'b', 'a']);
    for (const opens of gates.values()) for (const open of opens) open();
    await settle();
    queue.shutDown();
    await pool;
    expect(maxSameKey).toBe(1);
    expect(maxTotal).toBe(2);
  });

  it('retries a failing key with backoff and honours requeueAfterMs on success', async () => {
    const timers = new ManualTimers();
    const queue = new DelayingWorkQueue({ timers, retryBackoff: { baseDelayMs: 50, maxDelayMs: 10_000 } });
    const reports: ProcessedReport[] = [];
    let attempts = 0;
    const pool = runWorkers({
      queue,
      workers: 1,
      now: () => timers.now(),
      async reconcile() {
        attempts++;
        if (attempts <= 2) throw new Error(`attempt ${attempts} fails`);
        return { requeueAfterMs: 1_000 };
      },
      onProcessed: (report) => reports.push(report),
    });
    queue.add('ns/c');
    await settle();
    expect(attempts).toBe(1);
    timers.advance(49);
    await settle();
    expect(attempts).toBe(1);
    timers.advance(1);
    await settle();
    expect(attempts).toBe(2);
    timers.advance(100);
    await settle();
    expect(attempts).toBe(3);
    expect(queue.failureCount('ns/c')).toBe(0);
    timers.advance(999);
    await settle();
    expect(attempts).toBe(3);
    timers.advance(1);
    await settle();
    expect(attempts).toBe(4);
    queue.shutDown();
    await pool;
    expect(reports.map((report) => report.error !== undefined)).toEqual([true, true, false, false]);
    expect(reports[2]?.requeueAfterMs).toBe(1_000);
  });

  it('rejects a pool without workers', async () => {
    await expect(
      runWorkers({ queue: new DelayingWorkQueue(), workers: 0, reconcile: async () => undefined }),
    ).rejects.toThrow(RangeError);
  });
});
