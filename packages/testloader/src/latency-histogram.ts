/**
 * A fixed-memory latency histogram with logarithmic buckets (1 % wide, 1 µs to 1 h), so that a load run of any length
 * reports percentiles within 1 % of the true value without keeping every sample.
 */
const SMALLEST_MS = 0.001;
const GROWTH = 1.01;
const LARGEST_MS = 3_600_000;
const BUCKET_COUNT = Math.ceil(Math.log(LARGEST_MS / SMALLEST_MS) / Math.log(GROWTH)) + 1;

export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private sumMs = 0;
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = 0;

  record(latencyMs: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    const bucket = bucketOf(latencyMs);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
    this.sumMs += latencyMs;
    if (latencyMs < this.minMs) this.minMs = latencyMs;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
  }

  get count(): number {
    return this.total;
  }

  /** The latency at or below which `quantile` (0..1) of the samples fall; 0 when empty. */
  percentile(quantile: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(quantile * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) {
        if (bucket === BUCKET_COUNT - 1) return this.maxMs; // the overflow bucket has no upper bound
        return Math.min(this.maxMs, Math.max(this.minMs, upperBoundOf(bucket)));
      }
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      minMs: this.total === 0 ? 0 : this.minMs,
      meanMs: this.total === 0 ? 0 : this.sumMs / this.total,
      p50Ms: this.percentile(0.5),
      p90Ms: this.percentile(0.9),
      p99Ms: this.percentile(0.99),
      maxMs: this.maxMs,
    };
  }
}

function bucketOf(latencyMs: number): number {
  if (latencyMs <= SMALLEST_MS) return 0;
  return Math.min(BUCKET_COUNT - 1, Math.ceil(Math.log(latencyMs / SMALLEST_MS) / Math.log(GROWTH)));
}

function upperBoundOf(bucket: number): number {
  return SMALLEST_MS * GROWTH ** bucket;
}
