// Whether a workload has finished rolling out (reference §3.3): "waiting" is retriable, "failed" means the progress
// deadline passed and the run must end. Pure: the clock is a parameter.
import type { Readiness } from '@linnet/core';
import type { DaemonSetResource, DeploymentResource } from './cluster-types.ts';

export interface ReadinessPolicy {
  /** analysis.primaryReadyThreshold / canaryReadyThreshold: % of updated replicas that must be available. */
  readyThresholdPercent: number;
  /** spec.progressDeadlineSeconds of the Canary. */
  progressDeadlineSeconds: number;
  now: Date;
}

const waiting = (message: string): Readiness => ({ state: 'waiting', message });
const unobserved = (message: string): Readiness => ({ state: 'waiting', message, specUnobserved: true });
const failed = (message: string): Readiness => ({ state: 'failed', message });

export function deploymentReadiness(deployment: DeploymentResource | undefined, policy: ReadinessPolicy): Readiness {
  if (!deployment) return waiting('deployment not found');
  const name = `${deployment.metadata?.name ?? ''}.${deployment.metadata?.namespace ?? ''}`;
  const spec = deployment.spec;
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return unobserved(`${name} not ready: observed deployment generation less than desired generation`);
  }
  const conditions = status.conditions ?? [];
  const progressing = conditions.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return failed(`${name} not ready: exceeded its progress deadline`);
  }
  const available = conditions.find((condition) => condition.type === 'Available');
  if (available?.status === 'False' && available.reason === 'MinimumReplicasUnavailable') {
    const since = Date.parse(String(available.lastUpdateTime ?? available.lastTransitionTime ?? ''));
    if (Number.isFinite(since) && since + policy.progressDeadlineSeconds * 1000 < policy.now.getTime()) {
      return failed(`${name} not ready: exceeded its progress deadline (${policy.progressDeadlineSeconds}s)`);
    }
  }
  const desired = spec?.replicas ?? 1;
  if (desired === 0) return waiting(`${name} not ready: scaled to zero`);
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const availableReplicas = status.availableReplicas ?? 0;
  if (updated < desired) {
    return waiting(
      `${name} not ready: waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated`,
    );
  }
  if (total > updated) {
    return waiting(
      `${name} not ready: waiting for rollout to finish: ${total - updated} old replicas are pending termination`,
    );
  }
  const needed = Math.floor((updated * policy.readyThresholdPercent) / 100);
  if (availableReplicas < needed) {
    return waiting(
      `${name} not ready: waiting for rollout to finish: ${availableReplicas} of ${updated} updated replicas are available`,
    );
  }
  return { state: 'ready' };
}

/**
 * DaemonSets have no progress condition: the deadline runs from the Canary's last status transition, as in
 * Flagger.
 */
export function daemonSetReadiness(
  daemonSet: DaemonSetResource | undefined,
  policy: ReadinessPolicy & { lastTransitionTime: string | undefined },
): Readiness {
  if (!daemonSet) return waiting('daemonset not found');
  const name = `${daemonSet.metadata?.name ?? ''}.${daemonSet.metadata?.namespace ?? ''}`;
  const status = daemonSet.status;
  if ((daemonSet.metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return unobserved(`${name} not ready: observed daemonset generation less than desired generation`);
  }
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const available = status?.numberAvailable ?? 0;
  const ready = updated >= desired && available >= Math.floor((desired * policy.readyThresholdPercent) / 100);
  if (ready && desired > 0) return { state: 'ready' };
  const since = Date.parse(policy.lastTransitionTime ?? '');
  if (Number.isFinite(since) && since + policy.progressDeadlineSeconds * 1000 < policy.now.getTime()) {
    return failed(`${name} not ready: exceeded its progress deadline (${policy.progressDeadlineSeconds}s)`);
  }
  if (desired === 0) return waiting(`${name} not ready: no node is scheduled to run it`);
  return waiting(
    `${name} not ready: waiting for rollout to finish: ${updated} of ${desired} updated, ${available} available`,
  );
}
