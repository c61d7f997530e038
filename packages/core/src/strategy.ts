// Which rollout strategy a Canary follows (reference §1.3 "Strategy selection").
import type { DefaultedCanaryAnalysis } from '@linnet/api';

export type DeploymentStrategy = 'canary' | 'blue-green' | 'ab-testing';

/** The analysis the scheduler actually runs, plus the warnings explaining any provider-imposed change. */
export interface EffectiveAnalysis {
  readonly analysis: DefaultedCanaryAnalysis;
  readonly strategy: DeploymentStrategy;
  readonly providerWarnings: readonly string[];
}

/** Iterations Flagger forces when the kubernetes provider cannot shift traffic progressively. */
export const KUBERNETES_PROVIDER_ITERATIONS = 10;

export function deploymentStrategy(
  analysis: Pick<DefaultedCanaryAnalysis, 'match' | 'iterations'>,
): DeploymentStrategy {
  if (analysis.iterations > 0) return analysis.match && analysis.match.length > 0 ? 'ab-testing' : 'blue-green';
  return 'canary';
}

/**
 * The kubernetes provider has no router: Flagger drops `match` and forces blue/green with at least 10 iterations
 * (in memory only; the stored spec is unchanged).
 */
export function effectiveAnalysis(analysis: DefaultedCanaryAnalysis, provider: string): EffectiveAnalysis {
  if (provider !== 'kubernetes') return { analysis, strategy: deploymentStrategy(analysis), providerWarnings: [] };
  const warnings: string[] = [];
  let adjusted = analysis;
  if (analysis.match && analysis.match.length > 0) {
    warnings.push('A/B testing is not supported when using the kubernetes provider');
    adjusted = { ...adjusted, match: [] };
  }
  if (analysis.iterations < 1) {
    warnings.push('Progressive traffic is not supported when using the kubernetes provider');
    warnings.push(`Setting canaryAnalysis.iterations: ${KUBERNETES_PROVIDER_ITERATIONS}`);
    adjusted = { ...adjusted, iterations: KUBERNETES_PROVIDER_ITERATIONS };
  }
  return { analysis: adjusted, strategy: 'blue-green', providerWarnings: warnings };
}

/** Flagger's "Traffic routing" alert field. */
export function trafficRoutingDescription(analysis: DefaultedCanaryAnalysis, strategy: DeploymentStrategy): string {
  if (strategy === 'ab-testing') return 'A/B Testing';
  if (strategy === 'blue-green') return 'Blue/Green';
  if (analysis.stepWeight !== undefined && analysis.stepWeight > 0) {
    return `Weight step: ${analysis.stepWeight} max: ${analysis.maxWeight}`;
  }
  const steps = analysis.stepWeights ?? [];
  return `Weight steps: ${steps.join(',')} max: ${Math.min(100, steps.at(-1) ?? 100)}`;
}
