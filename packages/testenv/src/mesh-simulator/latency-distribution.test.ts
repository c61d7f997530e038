import { describe, it, expect } from '@jest/globals';
import { latencyCdf, latencyQuantileMs, logNormalFromMedianAndP99, meanLatencyMs } from './latency-distribution.ts';

describe('log-normal latency fitted to median and P99', () => {
  it('reproduces the configured median and P99 exactly', () => {
    const d = logNormalFromMedianAndP99(40, 80);
    expect(latencyQuantileMs(d, 0.5)).toBeCloseTo(40, 6);
    expect(latencyQuantileMs(d, 0.99)).toBeCloseTo(80, 5);
    expect(latencyCdf(d, 80)).toBeCloseTo(0.99, 6);
    expect(latencyCdf(d, 40)).toBeCloseTo(0.5, 6);
  });

  it('has a mean above the median (right skew)', () => {
    const d = logNormalFromMedianAndP99(20, 40);
    expect(meanLatencyMs(d)).toBeGreaterThan(20);
    expect(meanLatencyMs(d)).toBeCloseTo(20 * Math.exp(d.sigma ** 2 / 2), 9);
  });

  it('degenerates to a constant when P99 equals the median', () => {
    const d = logNormalFromMedianAndP99(25, 25);
    expect(latencyQuantileMs(d, 0.01)).toBe(25);
    expect(latencyCdf(d, 24.9)).toBe(0);
    expect(latencyCdf(d, 25)).toBe(1);
  });

  it('rejects impossible parameters', () => {
    expect(() => logNormalFromMedianAndP99(0, 10)).toThrow(RangeError);
    expect(() => logNormalFromMedianAndP99(50, 40)).toThrow(RangeError);
  });
});
