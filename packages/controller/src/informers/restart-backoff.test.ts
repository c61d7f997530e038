import { describe, expect, it } from '@jest/globals';
import { RestartBackoff } from './restart-backoff.ts';

describe('RestartBackoff', () => {
  it('doubles up to the cap with half of each delay random, and resets', () => {
    const lowest = new RestartBackoff({ initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0 });
    expect(Array.from({ length: 6 }, () => lowest.nextDelay())).toEqual([50, 100, 200, 400, 500, 500]);
    const highest = new RestartBackoff({ initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999999 });
    expect(Array.from({ length: 6 }, () => highest.nextDelay())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    highest.reset();
    expect(highest.nextDelay()).toBe(100);
  });
});
