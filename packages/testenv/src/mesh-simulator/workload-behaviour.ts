import { logNormalFromMedianAndP99, type LatencyDistribution } from './latency-distribution.ts';

/**
 * How a simulated workload answers, read from its Deployment's pod template annotations. Keeping behaviour in the pod
 * template means a "bad version" is just a changed template — exactly what triggers a Flagger/Linnet canary run.
 */
export const ANNOTATION_ERROR_RATE = 'sim.linnet.dev/error-rate';
export const ANNOTATION_ERROR_CODE = 'sim.linnet.dev/error-code';
export const ANNOTATION_LATENCY_MEDIAN = 'sim.linnet.dev/latency-ms';
export const ANNOTATION_LATENCY_P99 = 'sim.linnet.dev/latency-p99-ms';

export const DEFAULT_LATENCY_MEDIAN_MS = 20;
export const DEFAULT_ERROR_CODE = 500;

export interface WorkloadBehaviour {
  /** Fraction of requests answered with `errorCode` (a 5xx, so Flagger counts it as a failure). */
  readonly errorRate: number;
  readonly errorCode: number;
  readonly latency: LatencyDistribution;
}

export interface ParsedBehaviour {
  readonly behaviour: WorkloadBehaviour;
  /** Human-readable reasons an annotation was ignored; the simulator logs them and shows them in /debug/plan. */
  readonly problems: readonly string[];
}

type Annotations = Readonly<Record<string, string>>;

function readNumber(
  annotations: Annotations,
  key: string,
  isValid: (value: number) => boolean,
  rule: string,
  problems: string[],
): number | undefined {
  const raw = annotations[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (Number.isFinite(value) && isValid(value)) return value;
  problems.push(`${key}=${JSON.stringify(raw)} ignored: must be ${rule}`);
  return undefined;
}

export function parseWorkloadBehaviour(annotations: Annotations): ParsedBehaviour {
  const problems: string[] = [];
  const errorRate = readNumber(annotations, ANNOTATION_ERROR_RATE, (v) => v >= 0 && v <= 1, 'in [0, 1]', problems) ?? 0;
  const errorCode =
    readNumber(
      annotations,
      ANNOTATION_ERROR_CODE,
      (v) => Number.isInteger(v) && v >= 500 && v <= 599,
      'an integer 5xx status',
      problems,
    ) ?? DEFAULT_ERROR_CODE;
  const medianMs =
    readNumber(annotations, ANNOTATION_LATENCY_MEDIAN, (v) => v > 0, 'a number > 0', problems) ??
    DEFAULT_LATENCY_MEDIAN_MS;
  // The P99 defaults to twice the median: a moderate tail (sigma ≈ 0.30) that keeps P99 inside one or two buckets.
  let p99Ms = readNumber(annotations, ANNOTATION_LATENCY_P99, (v) => v > 0, 'a number > 0', problems) ?? 2 * medianMs;
  if (p99Ms < medianMs) {
    problems.push(`${ANNOTATION_LATENCY_P99}=${p99Ms} ignored: below the median ${medianMs}`);
    p99Ms = 2 * medianMs;
  }
  return { behaviour: { errorRate, errorCode, latency: logNormalFromMedianAndP99(medianMs, p99Ms) }, problems };
}
