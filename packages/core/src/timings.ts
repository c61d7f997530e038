// Linnet's event-driven timing knobs. The analysis interval still spaces the checks; these cover the waits that
// Flagger rounded up to a whole tick.
import { CANARY_DEFAULTS, effectiveAnalysisIntervalMs, type DefaultedCanaryAnalysis } from '@linnet/api';

export interface CoreTimings {
  /** How soon to look again while a workload rolls out (watch events usually come first). */
  readonly readinessPollMs: number;
  /** Safety-net resync of an idle Canary; changes arrive through watches. */
  readonly idleResyncMs: number;
  /** Upper bound of the Finalising drain; the drain is min(analysis interval, this). */
  readonly maxDrainMs: number;
  /** Flagger raises analysis intervals below 10s to 10s; tests and demos may lower the floor on purpose. */
  readonly minimumAnalysisIntervalMs: number;
}

export const DEFAULT_TIMINGS: CoreTimings = {
  readinessPollMs: 5_000,
  idleResyncMs: 300_000,
  maxDrainMs: 30_000,
  minimumAnalysisIntervalMs: CANARY_DEFAULTS.minimumAnalysisIntervalMs,
};

export function analysisIntervalMs(analysis: Pick<DefaultedCanaryAnalysis, 'interval'>, timings: CoreTimings): number {
  return effectiveAnalysisIntervalMs(analysis, timings.minimumAnalysisIntervalMs);
}

/**
 * Finalising keeps the canary running after all traffic went to the primary so in-flight requests finish and
 * proxies pick up the new routes; Flagger waited one interval, Linnet at most maxDrainMs.
 */
export function drainPeriodMs(analysis: Pick<DefaultedCanaryAnalysis, 'interval'>, timings: CoreTimings): number {
  return Math.min(analysisIntervalMs(analysis, timings), timings.maxDrainMs);
}
