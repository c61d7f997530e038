import { describe, expect, it } from '@jest/globals';
import { MetricsProviderPool } from './check-runner.ts';

describe('MetricsProviderPool', () => {
  it('shares one client per connection and drops clients no check used for 10 minutes', () => {
    let nowMs = 0;
    const pool = new MetricsProviderPool({}, () => nowMs);
    const deleted = { address: 'http://prometheus.deleted:9090' };
    const live = { address: 'http://prometheus.live:9090' };
    const first = pool.providerFor(deleted);
    expect(pool.providerFor(deleted)).toBe(first);
    pool.providerFor(live);
    expect(pool.size).toBe(2);

    nowMs = 9 * 60_000;
    pool.providerFor(live);
    nowMs = 11 * 60_000;
    pool.providerFor(live);
    expect(pool.size).toBe(1);
    expect(pool.providerFor(deleted)).not.toBe(first);
  });
});
