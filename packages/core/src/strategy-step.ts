// The next step of a run per strategy (reference §2.3), read from the persisted status, and the gate guarding it.
import type { CanaryStatus, DefaultedCanaryAnalysis } from '@linnet/api';
import type { CheckBatchPurpose } from './checks.ts';
import type { DeploymentStrategy } from './strategy.ts';
import { isMirroring } from './traffic-routes.ts';
import { hasReachedPromotionWeight, nextCanaryWeight } from './weight-schedule.ts';

export type StrategyStep =
  /** Canary strategy with mirror: mirror traffic to the canary before any live weight. */
  | { readonly kind: 'start-mirroring' }
  | { readonly kind: 'increase-weight'; readonly to: number }
  /** Blue/green and A/B: one more iteration (A/B routes matching requests to the canary). */
  | { readonly kind: 'iterate'; readonly to: number }
  /** Blue/green after its iterations: all traffic to the canary, so the primary can roll without serving. */
  | { readonly kind: 'route-all-to-canary' }
  | { readonly kind: 'promote'; readonly gated: boolean };

export function nextStrategyStep(
  status: CanaryStatus,
  analysis: DefaultedCanaryAnalysis,
  strategy: DeploymentStrategy,
): StrategyStep {
  const iterations = status.iterations ?? 0;
  if (strategy === 'blue-green') {
    if (iterations < analysis.iterations) return { kind: 'iterate', to: iterations + 1 };
    if (iterations === analysis.iterations) return { kind: 'route-all-to-canary' };
    return { kind: 'promote', gated: false };
  }
  if (strategy === 'ab-testing') {
    if (iterations < analysis.iterations) return { kind: 'iterate', to: iterations + 1 };
    return { kind: 'promote', gated: true };
  }
  const weight = status.canaryWeight ?? 0;
  if (hasReachedPromotionWeight(weight, analysis)) return { kind: 'promote', gated: true };
  if (analysis.mirror && weight === 0 && !status.preRolloutPassed) return { kind: 'start-mirroring' };
  return { kind: 'increase-weight', to: nextCanaryWeight(weight, analysis) };
}

/** The confirm-* webhooks that must pass before the step is taken, if any. */
export function gateFor(step: StrategyStep): Extract<CheckBatchPurpose, `confirm-${string}`> | undefined {
  switch (step.kind) {
    case 'increase-weight':
      return 'confirm-traffic-increase';
    case 'route-all-to-canary':
      return 'confirm-promotion';
    case 'promote':
      return step.gated ? 'confirm-promotion' : undefined;
    case 'start-mirroring':
    case 'iterate':
      return undefined;
  }
}

/**
 * Whether the canary serves any traffic to judge. The canary strategy at weight 0 without mirroring does not
 * (pre-rollout passed but the first traffic increase is still awaiting approval): only the gate is retried.
 */
export function canaryReceivesTraffic(
  status: CanaryStatus,
  analysis: DefaultedCanaryAnalysis,
  strategy: DeploymentStrategy,
): boolean {
  if (strategy !== 'canary') return true;
  return (status.canaryWeight ?? 0) > 0 || isMirroring(status, analysis, strategy);
}
