import { describe, it, expect } from '@jest/globals';
import { logNormalFromMedianAndP99 } from './latency-distribution.ts';
import {
  bucketIndex,
  expectedHistogramQuantile,
  ISTIO_DURATION_BUCKETS_MS,
  prometheusHistogramQuantile,
} from './istio-histogram.ts';

describe('prometheusHistogramQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank, from 0 for the first bucket', () => {
    // All observations in le=100: Prometheus returns 0 + 100 × 0.99 = 99 (the testenv recipe's fixture result).
    expect(
      prometheusHistogramQuantile(0.99, [
        { le: 100, cumulative: 10 },
        { le: Infinity, cumulative: 10 },
      ]),
    ).toBeCloseTo(99, 9);
    const buckets = [
      { le: 50, cumulative: 50 },
      { le: 100, cumulative: 90 },
      { le: 250, cumulative: 100 },
      { le: Infinity, cumulative: 100 },
    ];
    expect(prometheusHistogramQuantile(0.5, buckets)).toBeCloseTo(50, 9);
    expect(prometheusHistogramQuantile(0.7, buckets)).toBeCloseTo(75, 9);
    expect(prometheusHistogramQuantile(0.99, buckets)).toBeCloseTo(100 + 150 * 0.9, 9);
  });

  it('returns the highest finite bound when the rank is in +Inf, NaN without observations', () => {
    expect(
      prometheusHistogramQuantile(0.99, [
        { le: 10, cumulative: 1 },
        { le: Infinity, cumulative: 10 },
      ]),
    ).toBe(10);
    expect(
      prometheusHistogramQuantile(0.99, [
        { le: 10, cumulative: 0 },
        { le: Infinity, cumulative: 0 },
      ]),
    ).toBeNaN();
    expect(prometheusHistogramQuantile(0.99, [{ le: 10, cumulative: 1 }])).toBeNaN();
  });
});

describe('expectedHistogramQuantile over Istio buckets', () => {
  it('equals the true P99 when it sits on a bucket bound, and is biased upwards inside a bucket', () => {
    expect(expectedHistogramQuantile(0.99, logNormalFromMedianAndP99(50, 100))).toBeCloseTo(100, 3);
    // P99 40 ms lies in (25, 50]: linear interpolation over a convex-down tail reads ~49 ms.
    const inside = expectedHistogramQuantile(0.99, logNormalFromMedianAndP99(20, 40));
    expect(inside).toBeGreaterThan(40);
    expect(inside).toBeLessThanOrEqual(50);
    expect(inside).toBeCloseTo(49.01, 1);
  });
});

describe('bucketIndex', () => {
  it('puts an observation equal to a bound into that bucket (le is inclusive)', () => {
    expect(bucketIndex(0.1)).toBe(0);
    expect(bucketIndex(0.5)).toBe(0);
    expect(bucketIndex(0.6)).toBe(1);
    expect(bucketIndex(100)).toBe(ISTIO_DURATION_BUCKETS_MS.indexOf(100));
    expect(bucketIndex(100.01)).toBe(ISTIO_DURATION_BUCKETS_MS.indexOf(250));
    expect(bucketIndex(1e9)).toBe(ISTIO_DURATION_BUCKETS_MS.length);
  });
});
