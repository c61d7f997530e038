import { describe, expect, it } from '@jest/globals';
import { LatencyHistogram } from './latency-histogram.ts';

describe('LatencyHistogram', () => {
  it('reports zeros when empty', () => {
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      minMs: 0,
      meanMs: 0,
      p50Ms: 0,
      p90Ms: 0,
      p99Ms: 0,
      maxMs: 0,
    });
  });

  it('finds percentiles within 1 % of the exact value', () => {
    const histogram = new LatencyHistogram();
    for (let value = 1; value <= 10_000; value++) histogram.record(value / 10); // 0.1 ms … 1000 ms
    const summary = histogram.summary();
    expect(summary.count).toBe(10_000);
    expect(summary.minMs).toBeCloseTo(0.1);
    expect(summary.maxMs).toBe(1000);
    expect(summary.meanMs).toBeCloseTo(500.05, 5);
    for (const [actual, exact] of [
      [summary.p50Ms, 500],
      [summary.p90Ms, 900],
      [summary.p99Ms, 990],
    ] as const) {
      expect(Math.abs(actual - exact) / exact).toBeLessThanOrEqual(0.01);
    }
  });

  it('never reports a percentile outside the observed range', () => {
    const histogram = new LatencyHistogram();
    histogram.record(5);
    expect(histogram.percentile(0.5)).toBe(5);
    expect(histogram.percentile(0.99)).toBe(5);
  });

  it('ignores values that are not latencies', () => {
    const histogram = new LatencyHistogram();
    histogram.record(Number.NaN);
    histogram.record(-1);
    histogram.record(Number.POSITIVE_INFINITY);
    expect(histogram.count).toBe(0);
  });

  it('keeps very small and very large values in the end buckets', () => {
    const histogram = new LatencyHistogram();
    histogram.record(0);
    histogram.record(10 * 3_600_000);
    expect(histogram.percentile(0.5)).toBeLessThanOrEqual(0.001); // the smallest bucket is 1 µs wide
    expect(histogram.percentile(1)).toBe(10 * 3_600_000);
  });
});
