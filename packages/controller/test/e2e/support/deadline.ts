// Waiting with a deadline instead of sleeping: every wait in the e2e suites polls a probe until it yields a value,
// and fails with what it last saw, so a failure explains itself.
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Pause between probes. Default 200 ms. */
  intervalMs?: number;
}

export class WaitTimeoutError extends Error {
  readonly reason = 'WaitTimeout';
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * A probe answers `{ done: true, value }` when the wait is over, or `{ done: false, seen }` with a description of
 * what it saw instead (used in the timeout message).
 */
export type ProbeAnswer<T> = { done: true; value: T } | { done: false; seen: string };

/** Polls `probe` until it is done; throws WaitTimeoutError naming `what` and the last thing seen. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<ProbeAnswer<T>> | ProbeAnswer<T>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastSeen = 'nothing yet';
  for (;;) {
    try {
      const answer = await probe();
      if (answer.done) return answer.value;
      lastSeen = answer.seen;
    } catch (error) {
      lastSeen = `probe failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(`timed out after ${options.timeoutMs} ms waiting for ${what}; last seen: ${lastSeen}`);
    }
    await delay(options.intervalMs ?? 200);
  }
}

export const done = <T>(value: T): ProbeAnswer<T> => ({ done: true, value });
export const notYet = (seen: string): ProbeAnswer<never> => ({ done: false, seen });
