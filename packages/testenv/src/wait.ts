import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** Hard deadline for the whole wait. */
  timeoutMs: number;
  /** Polling period; the check itself is what synchronises, this only bounds the load. */
  intervalMs?: number;
  /** Called once on timeout to add detail (last probe result, a log tail) to the error. */
  explainTimeout?: () => Promise<string> | string;
}

/** Thrown when a wait runs out of time; `what` names the thing that never became ready. */
export class WaitTimeoutError extends Error {
  readonly what: string;
  constructor(what: string, timeoutMs: number, detail: string) {
    super(`${what}: not ready after ${(timeoutMs / 1000).toFixed(0)}s${detail ? `\n${detail}` : ''}`);
    this.name = 'WaitTimeoutError';
    this.what = what;
  }
}

/**
 * Polls `check` until it returns a value other than undefined, and returns that value.
 * A check may throw to abort at once (for example when the process being waited on has exited).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() >= deadline) {
      const detail = options.explainTimeout ? await options.explainTimeout() : '';
      throw new WaitTimeoutError(what, options.timeoutMs, detail);
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}
