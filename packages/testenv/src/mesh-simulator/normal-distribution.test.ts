import { describe, it, expect } from '@jest/globals';
import { standardNormalCdf, standardNormalQuantile, Z_99 } from './normal-distribution.ts';

describe('standard normal', () => {
  it('has the textbook quantiles', () => {
    expect(standardNormalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(standardNormalQuantile(0.99)).toBeCloseTo(Z_99, 8);
    expect(standardNormalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(standardNormalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
  });

  it('CDF inverts the quantile across the range', () => {
    for (const p of [1e-6, 0.001, 0.02, 0.1, 0.3, 0.5, 0.77, 0.95, 0.99, 0.999999]) {
      expect(standardNormalCdf(standardNormalQuantile(p))).toBeCloseTo(p, 6);
    }
  });

  it('is infinite at the ends and rejects probabilities outside [0, 1]', () => {
    expect(standardNormalQuantile(0)).toBe(-Infinity);
    expect(standardNormalQuantile(1)).toBe(Infinity);
    expect(() => standardNormalQuantile(1.5)).toThrow(RangeError);
  });
});
