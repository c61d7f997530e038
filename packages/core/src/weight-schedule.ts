// Canary traffic weights per step (reference §2.3): linear stepWeight, explicit stepWeights, promotion shift.
import type { DefaultedCanaryAnalysis } from '@linnet/api';

type WeightSettings = Pick<DefaultedCanaryAnalysis, 'stepWeight' | 'stepWeights' | 'maxWeight'>;

const clampWeight = (weight: number): number => Math.min(100, Math.max(0, weight));

function usesStepWeights(analysis: WeightSettings): analysis is WeightSettings & { stepWeights: number[] } {
  return !(analysis.stepWeight !== undefined && analysis.stepWeight > 0) && (analysis.stepWeights?.length ?? 0) > 0;
}

/**
 * The weight at which the canary strategy stops stepping and promotes. With stepWeights the last element is the
 * maximum (capped at 100) and maxWeight is ignored.
 */
export function promotionWeight(analysis: WeightSettings): number {
  if (usesStepWeights(analysis)) return clampWeight(analysis.stepWeights.at(-1) ?? 100);
  return clampWeight(analysis.maxWeight);
}

/** True once the canary strategy has stepped far enough to promote; the bound is checked before stepping. */
export function hasReachedPromotionWeight(canaryWeight: number, analysis: WeightSettings): boolean {
  return canaryWeight >= promotionWeight(analysis);
}

/**
 * The canary weight after one more step from `canaryWeight`. A linear step may overshoot maxWeight (20, 40, 60 for
 * stepWeight 20 / maxWeight 50), as in Flagger. Without stepWeight or stepWeights the canary jumps straight to
 * maxWeight (Flagger would never step at all).
 */
export function nextCanaryWeight(canaryWeight: number, analysis: WeightSettings): number {
  if (usesStepWeights(analysis)) {
    const increment = stepWeightsIncrement(canaryWeight, analysis.stepWeights);
    // Every step must move forward; a non-positive entry would otherwise hold the canary in place forever.
    return clampWeight(canaryWeight + (increment >= 1 ? increment : 100 - canaryWeight));
  }
  const step = analysis.stepWeight !== undefined && analysis.stepWeight > 0 ? analysis.stepWeight : analysis.maxWeight;
  return clampWeight(canaryWeight + step);
}

function stepWeightsIncrement(canaryWeight: number, steps: readonly number[]): number {
  const room = 100 - canaryWeight;
  if (room <= 0) return 1;
  if (canaryWeight === 0) return Math.min(room, steps[0] ?? room);
  const index = steps.indexOf(canaryWeight);
  const following = index >= 0 ? steps[index + 1] : undefined;
  // A weight off the list, the last element, or a non-increasing list: go to 100 (and so to promotion).
  if (following === undefined || following <= canaryWeight) return room;
  return Math.min(room, following - canaryWeight);
}

/** The canary weight after one promotion step; stepWeightPromotion 0 moves all traffic to the primary at once. */
export function nextPromotionCanaryWeight(canaryWeight: number, stepWeightPromotion: number): number {
  if (stepWeightPromotion <= 0) return 0;
  return clampWeight(canaryWeight - stepWeightPromotion);
}
