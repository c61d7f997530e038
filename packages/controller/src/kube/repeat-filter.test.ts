import { describe, expect, it } from '@jest/globals';
import { RepeatFilter } from './repeat-filter.ts';

describe('RepeatFilter', () => {
  it('holds back a repeat within the window of the last one let through, and lets it through after', () => {
    let now = 0;
    const filter = new RepeatFilter({ windowMs: 2_000, now: () => now });
    const seen = (key: string, at: number): boolean => {
      now = at;
      return filter.isRepeat(key);
    };
    // Five CanaryDeleted in about a second become one.
    expect([0, 200, 400, 700, 1_100].map((at) => seen('CanaryDeleted', at))).toEqual([false, true, true, true, true]);
    expect(seen('CanaryCreated', 1_200)).toBe(false);
    expect(seen('CanaryDeleted', 2_000)).toBe(false);
    expect(seen('CanaryDeleted', 3_999)).toBe(true);
  });

  it('forgets the oldest key beyond its capacity', () => {
    const filter = new RepeatFilter({ capacity: 2, now: () => 0 });
    filter.isRepeat('a');
    filter.isRepeat('b');
    filter.isRepeat('c');
    expect(filter.isRepeat('a')).toBe(false);
    expect(filter.isRepeat('c')).toBe(true);
  });
});
