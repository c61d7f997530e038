// The traffic split a status stands for. Linnet keeps the intent in status and corrects the router towards it,
// where Flagger read weights back from the router and let status lag behind.
import type { CanaryPhase, CanaryStatus, DefaultedCanaryAnalysis } from '@linnet/api';
import type { TrafficRoutes } from './observation.ts';
import type { DeploymentStrategy } from './strategy.ts';

const PHASES_WITHOUT_ROUTING_INTENT: ReadonlySet<CanaryPhase> = new Set([
  '',
  'Initializing',
  'Terminating',
  'Terminated',
]);

const ANALYSING: ReadonlySet<CanaryPhase> = new Set(['Progressing', 'WaitingPromotion']);

/** Whether the status stands for mirrored traffic: B/G iterations, or the canary strategy's mirror step. */
export function isMirroring(
  status: CanaryStatus,
  analysis: Pick<DefaultedCanaryAnalysis, 'mirror'>,
  strategy: DeploymentStrategy,
): boolean {
  if (!analysis.mirror || !ANALYSING.has(status.phase ?? '') || (status.canaryWeight ?? 0) !== 0) return false;
  if (strategy === 'canary') return status.preRolloutPassed === true;
  return strategy === 'blue-green' && (status.iterations ?? 0) >= 1;
}

/**
 * The routes the router should hold for this status; undefined while there is nothing to route (initializing,
 * terminating). With the kubernetes provider the split stays 100/0: its apex Service always selects the primary.
 */
export function intendedRoutes(
  status: CanaryStatus,
  analysis: Pick<DefaultedCanaryAnalysis, 'mirror'>,
  strategy: DeploymentStrategy,
  provider: string,
): TrafficRoutes | undefined {
  if (PHASES_WITHOUT_ROUTING_INTENT.has(status.phase ?? '')) return undefined;
  if (provider === 'kubernetes') return { primaryWeight: 100, canaryWeight: 0, mirrored: false };
  const canaryWeight = Math.min(100, Math.max(0, status.canaryWeight ?? 0));
  return { primaryWeight: 100 - canaryWeight, canaryWeight, mirrored: isMirroring(status, analysis, strategy) };
}

export function sameRoutes(a: TrafficRoutes | undefined, b: TrafficRoutes | undefined): boolean {
  if (!a || !b) return a === b;
  return a.primaryWeight === b.primaryWeight && a.canaryWeight === b.canaryWeight && a.mirrored === b.mirrored;
}

export function describeRoutes(routes: TrafficRoutes): string {
  return `primary ${routes.primaryWeight}% / canary ${routes.canaryWeight}%${routes.mirrored ? ' (mirrored)' : ''}`;
}
