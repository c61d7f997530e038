import { describe, expect, it } from '@jest/globals';
import { ManualTimers } from './timers.ts';
import { DelayingWorkQueue } from './work-queue.ts';

function newQueue(): { queue: DelayingWorkQueue; timers: ManualTimers } {
  const timers = new ManualTimers();
  return { queue: new DelayingWorkQueue({ timers, retryBackoff: { baseDelayMs: 100, maxDelayMs: 1_000 } }), timers };
}

/** Keys that `get` hands out right now, without waiting. */
async function drainReady(queue: DelayingWorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.depth() > 0) {
    const key = await queue.get();
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

describe('DelayingWorkQueue', () => {
  it('hands out keys in order and deduplicates queued keys', async () => {
    const { queue } = newQueue();
    queue.add('a/one');
    queue.add('a/two');
    queue.add('a/one');
    expect(queue.depth()).toBe(2);
    expect(await drainReady(queue)).toEqual(['a/one', 'a/two']);
  });

  it('never hands a key to two workers: a re-add during processing runs again after done', async () => {
    const { queue } = newQueue();
    queue.add('k');
    const first = await queue.get();
    expect(first).toBe('k');
    queue.add('k');
    queue.add('k');
    expect(queue.depth()).toBe(0);
    queue.done('k');
    expect(queue.depth()).toBe(1);
    expect(await queue.get()).toBe('k');
    queue.done('k');
    expect(queue.depth()).toBe(0);
  });

  it('wakes a waiting get when a key arrives', async () => {
    const { queue } = newQueue();
    const waiting = queue.get();
    queue.add('x');
    expect(await waiting).toBe('x');
  });

  it('delays addAfter until the deadline, and the earlier deadline wins', async () => {
    const { queue, timers } = newQueue();
    queue.addAfter('k', 1_000);
    queue.addAfter('k', 300);
    queue.addAfter('k', 5_000);
    expect(queue.delayedCount()).toBe(1);
    timers.advance(299);
    expect(queue.depth()).toBe(0);
    timers.advance(1);
    expect(queue.depth()).toBe(1);
    expect(queue.delayedCount()).toBe(0);
    timers.advance(10_000);
    expect(await drainReady(queue)).toEqual(['k']);
  });

  it('treats a non-positive delay as an immediate add', () => {
    const { queue } = newQueue();
    queue.addAfter('k', 0);
    expect(queue.depth()).toBe(1);
  });

  it('backs off a failing key exponentially until forgotten', async () => {
    const { queue, timers } = newQueue();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = timers.now();
      queue.addRateLimited('k');
      let waited = 0;
      while (queue.depth() === 0) {
        timers.advance(1);
        waited++;
      }
      delays.push(timers.now() - before);
      expect(waited).toBe(delays[delays.length - 1]);
      const key = await queue.get();
      queue.done(key ?? '');
    }
    expect(delays).toEqual([100, 200, 400, 800, 1_000]);
    expect(queue.failureCount('k')).toBe(5);
    queue.forget('k');
    expect(queue.failureCount('k')).toBe(0);
  });

  it('shutDown drops pending work and releases waiting workers', async () => {
    const { queue, timers } = newQueue();
    const waiting = queue.get();
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    queue.add('k');
    queue.addAfter('k', 10);
    expect(queue.depth()).toBe(0);
    expect(timers.pendingCount()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });
});
