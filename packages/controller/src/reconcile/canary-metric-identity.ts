import type { CanaryMetricIdentity } from '../observability/index.ts';
import type { CanaryResource } from './cluster-types.ts';

/** How the Flagger metrics name a Canary: by its target's name (as Flagger does) and namespace. */
export function canaryMetricIdentity(canary: CanaryResource): CanaryMetricIdentity {
  return { targetName: canary.spec.targetRef?.name ?? '', namespace: canary.metadata?.namespace ?? '' };
}
