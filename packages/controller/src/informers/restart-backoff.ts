export interface RestartBackoffOptions {
  /** First delay. Default 500 ms. */
  initialDelayMs?: number;
  /** Upper bound. Default 30 s. */
  maxDelayMs?: number;
  /** Returns [0, 1); injected for tests. */
  random?: () => number;
}

/**
 * Delays between restarts of a failing loop: exponential with "equal jitter" (half fixed, half random), so many
 * informers that failed together (an API server restart) do not come back in lockstep. `reset()` after success.
 */
export class RestartBackoff {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private attempts = 0;

  constructor(options: RestartBackoffOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  nextDelay(): number {
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.min(this.attempts, 30));
    this.attempts++;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  reset(): void {
    this.attempts = 0;
  }
}
