import { standardNormalCdf, standardNormalQuantile, Z_99 } from './normal-distribution.ts';

/**
 * Request latency of one workload, log-normal: ln(latency) ~ N(mu, sigma²).
 *
 * Why log-normal: service latencies are positive and right-skewed, and a log-normal is fixed exactly by the two
 * numbers a test author thinks in — the median (mu = ln median) and the P99 (sigma = ln(p99 / median) / z₀.₉₉) — so
 * the configured P99 is the true 99th percentile of the simulated requests, not an approximation.
 */
export interface LatencyDistribution {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly mu: number;
  readonly sigma: number;
}

export function logNormalFromMedianAndP99(medianMs: number, p99Ms: number): LatencyDistribution {
  if (!(medianMs > 0) || !Number.isFinite(medianMs)) throw new RangeError(`median must be > 0, got ${medianMs}`);
  if (!(p99Ms >= medianMs) || !Number.isFinite(p99Ms)) throw new RangeError(`p99 must be >= median, got ${p99Ms}`);
  return { medianMs, p99Ms, mu: Math.log(medianMs), sigma: Math.log(p99Ms / medianMs) / Z_99 };
}

/** The latency at quantile p in (0, 1); used to turn a uniform sample into a latency (inverse-CDF sampling). */
export function latencyQuantileMs(distribution: LatencyDistribution, p: number): number {
  if (distribution.sigma === 0) return distribution.medianMs;
  return Math.exp(distribution.mu + distribution.sigma * standardNormalQuantile(p));
}

/** P(latency <= ms). */
export function latencyCdf(distribution: LatencyDistribution, ms: number): number {
  if (ms <= 0) return 0;
  if (distribution.sigma === 0) return ms >= distribution.medianMs ? 1 : 0;
  return standardNormalCdf((Math.log(ms) - distribution.mu) / distribution.sigma);
}

export function meanLatencyMs(distribution: LatencyDistribution): number {
  return Math.exp(distribution.mu + (distribution.sigma * distribution.sigma) / 2);
}
