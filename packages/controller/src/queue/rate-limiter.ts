export interface RetryBackoffOptions {
  /** Delay after the first failure. Default 1 s. */
  baseDelayMs?: number;
  /** Upper bound. Default 5 minutes. */
  maxDelayMs?: number;
}

/**
 * Per-key exponential backoff: base, 2×base, 4×base … capped, until `forget(key)` after a success. Like client-go's
 * ItemExponentialFailureRateLimiter.
 */
export class PerKeyExponentialBackoff {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly failures = new Map<string, number>();

  constructor(options: RetryBackoffOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
  }

  /** Record one more failure of `key` and return how long to wait before retrying it. */
  nextDelay(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    // Cap the exponent so 2**n stays finite for keys that fail forever.
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(failures, 40));
  }

  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}
