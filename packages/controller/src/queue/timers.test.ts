import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { MAX_TIMER_MS } from '@linnet/api';
import { systemTimers } from './timers.ts';
import { DelayingWorkQueue } from './work-queue.ts';

// The fake clock behaves like Node: a setTimeout above 2^31−1 ms fires after 1 ms. Without chaining, the waits below
// would fire at once, and a requeue loop would spin.
const TEN_YEARS_MS = 10 * 365 * 24 * 3_600_000;

afterEach(() => {
  jest.useRealTimers();
});

describe('systemTimers', () => {
  it('holds a 10-year requeue until it is due, with one timer armed at a time', () => {
    jest.useFakeTimers();
    const setTimeoutCalls = jest.spyOn(globalThis, 'setTimeout');
    const queue = new DelayingWorkQueue({ timers: systemTimers });
    queue.addAfter('default/podinfo', TEN_YEARS_MS);

    jest.advanceTimersByTime(1_000);
    expect(queue.depth()).toBe(0);
    jest.advanceTimersByTime(TEN_YEARS_MS - 2_000);
    expect(queue.depth()).toBe(0);
    expect(jest.getTimerCount()).toBe(1);
    // One link per 24.8 days: about 148 over ten years, not a spin.
    expect(setTimeoutCalls.mock.calls.length).toBeLessThanOrEqual(Math.ceil(TEN_YEARS_MS / MAX_TIMER_MS) + 1);

    jest.advanceTimersByTime(1_000);
    expect(queue.depth()).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('cancels a chained wait in any link', () => {
    jest.useFakeTimers();
    const fired = jest.fn();
    const cancel = systemTimers.schedule(fired, 3 * MAX_TIMER_MS);
    jest.advanceTimersByTime(MAX_TIMER_MS + 10);
    cancel();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
  });

  it('fires a wait of exactly 2^31−1 ms on time', () => {
    jest.useFakeTimers();
    const fired = jest.fn();
    systemTimers.schedule(fired, MAX_TIMER_MS);
    jest.advanceTimersByTime(MAX_TIMER_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});
