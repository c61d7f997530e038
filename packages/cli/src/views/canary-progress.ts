import { withCanaryDefaults, type Canary } from '@linnet/api';
import { deploymentStrategy, type DeploymentStrategy } from '@linnet/core';

// How far a run has got, for the progress bar of `linnet watch`: the canary weight against the weight at which it
// is promoted, or the checks done against the checks a blue/green or A/B run makes.

export interface CanaryProgress {
  strategy: DeploymentStrategy;
  /** 0..1 */
  fraction: number;
  /** e.g. "20/50%" or "3/10 checks" */
  label: string;
  /** Steps done and steps in a run: weight steps for canary runs, checks for blue/green and A/B runs. */
  step: { done: number; total: number };
}

const ANALYSING = new Set(['Progressing', 'Waiting', 'WaitingPromotion']);
const PAST_ANALYSIS = new Set(['Promoting', 'Finalising', 'Succeeded']);

/** The weight at which the canary is promoted: maxWeight, or the last of stepWeights capped at 100. */
function promotionWeight(canary: Canary): number {
  const analysis = withCanaryDefaults(canary.spec).analysis;
  const steps = analysis.stepWeights ?? [];
  if ((analysis.stepWeight ?? 0) === 0 && steps.length > 0) return Math.min(100, steps.at(-1) ?? 100);
  return analysis.maxWeight;
}

export function canaryProgress(canary: Canary): CanaryProgress {
  const analysis = withCanaryDefaults(canary.spec).analysis;
  const strategy = deploymentStrategy(analysis);
  const phase = canary.status?.phase ?? '';
  const analysed = PAST_ANALYSIS.has(phase);
  if (strategy === 'canary') {
    const target = promotionWeight(canary);
    const weight = analysed ? target : ANALYSING.has(phase) ? (canary.status?.canaryWeight ?? 0) : 0;
    return {
      strategy,
      fraction: target > 0 ? Math.min(1, weight / target) : 0,
      label: `${weight}/${target}%`,
      step: weightStep(canary, weight, target),
    };
  }
  const total = analysis.iterations;
  const done = analysed ? total : ANALYSING.has(phase) ? (canary.status?.iterations ?? 0) : 0;
  return {
    strategy,
    fraction: total > 0 ? Math.min(1, done / total) : 0,
    label: `${done}/${total} checks`,
    step: { done, total },
  };
}

/** Which weight step a canary run is at: the index in stepWeights, or weight / stepWeight. */
function weightStep(canary: Canary, weight: number, target: number): { done: number; total: number } {
  const analysis = withCanaryDefaults(canary.spec).analysis;
  const stepWeight = analysis.stepWeight ?? 0;
  if (stepWeight === 0 && analysis.stepWeights && analysis.stepWeights.length > 0) {
    const steps = analysis.stepWeights.filter((value) => value <= target);
    return { done: steps.filter((value) => value <= weight).length, total: steps.length };
  }
  if (stepWeight <= 0) return { done: 0, total: 0 };
  return { done: Math.ceil(weight / stepWeight), total: Math.ceil(target / stepWeight) };
}

/**
 * Milliseconds since the current run began: the Promoted condition changes status when a run starts and when it
 * ends (Flagger's rule), so its last transition dates the run's start, or its end once it is over. Falls back to
 * the status' lastTransitionTime.
 */
export function runElapsedMs(canary: Canary, now: Date): number | undefined {
  const promoted = canary.status?.conditions?.find((condition) => condition.type === 'Promoted');
  const since = Date.parse(promoted?.lastTransitionTime ?? canary.status?.lastTransitionTime ?? '');
  return Number.isNaN(since) ? undefined : Math.max(0, now.getTime() - since);
}

/** "[########............]" */
export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
