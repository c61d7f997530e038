// Tells whether something identical was let through moments ago, so a burst of identical events (reconciles racing
// a deletion, an informer replaying an object) is published once rather than several times a second.

export interface RepeatFilterOptions {
  /** A repeat within this long after the last one let through is held back. Default 2 s. */
  windowMs?: number;
  /** Keys remembered; the oldest is forgotten first. Default 4096. */
  capacity?: number;
  now?: () => number;
}

export class RepeatFilter {
  private readonly windowMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly lastPassed = new Map<string, number>();

  constructor(options: RepeatFilterOptions = {}) {
    this.windowMs = options.windowMs ?? 2_000;
    this.capacity = options.capacity ?? 4_096;
    this.now = options.now ?? Date.now;
  }

  /** True if `key` was let through less than the window ago; otherwise lets it through (remembering when). */
  isRepeat(key: string): boolean {
    const now = this.now();
    const last = this.lastPassed.get(key);
    if (last !== undefined && now - last < this.windowMs) return true;
    this.lastPassed.delete(key);
    if (this.lastPassed.size >= this.capacity) {
      const oldest = this.lastPassed.keys().next();
      if (!oldest.done) this.lastPassed.delete(oldest.value);
    }
    this.lastPassed.set(key, now);
    return false;
  }
}
