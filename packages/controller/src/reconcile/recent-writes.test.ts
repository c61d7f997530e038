import { describe, expect, it } from '@jest/globals';
import { RecentWrites } from './recent-writes.ts';

const version = (resourceVersion: string) => ({ metadata: { name: 'x', resourceVersion } });

describe('RecentWrites', () => {
  it('prefers the written object while the cache still shows a version it replaced', () => {
    const writes = new RecentWrites();
    writes.record('slot', '10', version('11'));
    expect(writes.resolve('slot', version('10'))).toEqual(version('11'));
    writes.record('slot', '11', version('12'));
    expect(writes.resolve('slot', version('10'))).toEqual(version('12'));
    expect(writes.resolve('slot', version('11'))).toEqual(version('12'));
  });

  it('returns to the cache once it shows the write or anything newer', () => {
    const writes = new RecentWrites();
    writes.record('slot', '10', version('11'));
    expect(writes.resolve('slot', version('13'))).toEqual(version('13'));
    expect(writes.resolve('slot', version('10'))).toEqual(version('10'));
  });

  it('covers a created object until the cache has it, but not forever', () => {
    let now = 0;
    const writes = new RecentWrites({ maxAgeMs: 1_000, now: () => now });
    writes.record('slot', undefined, version('5'));
    expect(writes.resolve('slot', undefined)).toEqual(version('5'));
    now = 2_000;
    expect(writes.resolve('slot', undefined)).toBeUndefined();
  });

  it("drops writes older than the maximum age on the next write, even if never read again (a deleted Canary's)", () => {
    let now = 0;
    const writes = new RecentWrites({ maxAgeMs: 1_000, now: () => now });
    writes.record('gone', '1', version('2'));
    now = 2_000;
    writes.record('other', '1', version('2'));
    expect(writes.size).toBe(1);
  });
});
