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

  it('hands out keys by the time their work fell due: a delayed add by its deadline, not when its timer ran', async () => {
    const { queue, timers } = newQueue();
    queue.addAfter('a/scheduled', 100);
    timers.advance(50);
    queue.add('a/late-arrival', timers.now() + 100);
    queue.add('a/now');
    // The timer runs late (e.g. a busy event loop): its key still goes before work that fell due after 100 ms.
    timers.advance(200);
    queue.add('a/continued', 20);
    expect(await drainReady(queue)).toEqual(['a/continued', 'a/now', 'a/scheduled', 'a/late-arrival']);
  });

  it('moves a queued key forward when it is added again with an earlier due time, never back', async () => {
    const { queue, timers } = newQueue();
    timers.advance(1_000);
    queue.add('a/one');
    queue.add('a/two');
    queue.add('a/two', 10);
    queue.add('a/one', 5_000);
    expect(queue.depth()).toBe(2);
    expect(await drainReady(queue)).toEqual(['a/two', 'a/one']);
  });

  it('re-queues a key added during processing with the earliest due time it was given', async () => {
    const { queue, timers } = newQueue();
    timers.advance(1_000);
    queue.add('a/busy');
    const busy = await queue.get();
    queue.add('a/other');
    queue.add('a/busy', 2_000);
    queue.add('a/busy', 500);
    queue.done(busy ?? '');
    expect(await drainReady(queue)).toEqual(['a/busy', 'a/other']);
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
