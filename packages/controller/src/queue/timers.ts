import { MAX_TIMER_MS } from '@linnet/api';

/** A clock and one-shot timers, injected so time-driven code can be tested without waiting. */
export interface Timers {
  /** Milliseconds on a monotonic-enough clock (only differences are used). */
  now(): number;
  /** Run `callback` after `delayMs` (any length, never earlier); the returned function cancels it. */
  schedule(callback: () => void, delayMs: number): () => void;
}

export const systemTimers: Timers = {
  now: () => performance.now(),
  schedule(callback, delayMs) {
    // setTimeout fires at once for more than 2^31−1 ms (≈ 24.8 days), so a longer wait is a chain of shorter ones,
    // each re-measured against the due time on the clock.
    const dueAt = performance.now() + Math.max(0, delayMs);
    let handle: ReturnType<typeof setTimeout>;
    const arm = (): void => {
      const remaining = dueAt - performance.now();
      handle = remaining > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(callback, Math.max(0, remaining));
    };
    arm();
    return () => clearTimeout(handle);
  },
};

/**
 * Timers driven by hand: `advance(ms)` runs everything due, in deadline order. For tests of time-driven code.
 */
export class ManualTimers implements Timers {
  private current = 0;
  private nextId = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.current;
  }

  schedule(callback: () => void, delayMs: number): () => void {
    const id = this.nextId++;
    this.pending.set(id, { at: this.current + Math.max(0, delayMs), callback });
    return () => this.pending.delete(id);
  }

  /** Move the clock forward, running each timer that falls due (timers scheduled meanwhile included). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, timer] of this.pending) {
        if (timer.at <= target && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.pending.get(nextId);
      this.pending.delete(nextId);
      this.current = nextAt;
      timer?.callback();
    }
    this.current = target;
  }

  pendingCount(): number {
    return this.pending.size;
  }
}
