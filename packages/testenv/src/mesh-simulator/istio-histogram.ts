import { latencyCdf, type LatencyDistribution } from './latency-distribution.ts';

/**
 * Istio's default bucket bounds (ms) for istio_request_duration_milliseconds — the Envoy stats default set, which
 * Istio's Prometheus exposition uses unless a Telemetry/ProxyConfig overrides it.
 */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

export interface CumulativeBucket {
  /** Upper bound; Infinity for the +Inf bucket. */
  readonly le: number;
  /** Observations <= le (cumulative, like Prometheus' _bucket series), or a rate/probability of them. */
  readonly cumulative: number;
}

/**
 * Prometheus' histogram_quantile, reimplemented (promql/quantile.go, 2.42): find the first bucket whose cumulative
 * count reaches q·total and interpolate linearly inside it; the first bucket's lower bound is 0; if the rank falls in
 * the +Inf bucket the answer is the highest finite bound. Used to predict what Flagger's request-duration query will
 * return for a configured distribution, since linear interpolation inside wide buckets moves the answer away from the
 * true P99.
 */
export function prometheusHistogramQuantile(q: number, buckets: readonly CumulativeBucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted.at(-1);
  if (sorted.length < 2 || last === undefined || last.le !== Infinity) return NaN;
  const total = last.cumulative;
  if (total === 0) return NaN;
  const rank = q * total;
  const index = sorted.findIndex((b) => b.cumulative >= rank);
  const bucket = sorted[index];
  if (bucket === undefined) return NaN;
  if (bucket.le === Infinity) return sorted[sorted.length - 2]?.le ?? NaN;
  const previous = index > 0 ? sorted[index - 1] : undefined;
  const lowerBound = previous?.le ?? 0;
  const countBelow = previous?.cumulative ?? 0;
  const inBucket = bucket.cumulative - countBelow;
  if (index === 0 && bucket.le <= 0) return bucket.le;
  return lowerBound + (bucket.le - lowerBound) * ((rank - countBelow) / inBucket);
}

/**
 * What histogram_quantile(q, …) converges to for requests drawn from `distribution` and bucketed by `bounds`: the
 * same interpolation applied to the exact bucket probabilities.
 */
export function expectedHistogramQuantile(
  q: number,
  distribution: LatencyDistribution,
  bounds: readonly number[] = ISTIO_DURATION_BUCKETS_MS,
): number {
  const buckets: CumulativeBucket[] = bounds.map((le) => ({ le, cumulative: latencyCdf(distribution, le) }));
  buckets.push({ le: Infinity, cumulative: 1 });
  return prometheusHistogramQuantile(q, buckets);
}

/** Index of the bucket (in `bounds`, or bounds.length for +Inf) an observation falls in: the first le >= value. */
export function bucketIndex(valueMs: number, bounds: readonly number[] = ISTIO_DURATION_BUCKETS_MS): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((bounds[middle] ?? Infinity) >= valueMs) high = middle;
    else low = middle + 1;
  }
  return low;
}
