// How a run ends or restarts (reference §2.4–2.5): rollback, failed promotion, the reset of a new run, and the
// post-rollout hooks and outcome counters that go with them.
import type { CanaryPhase, CanaryStatus } from '@linnet/api';
import type { DecisionBuilder, DecisionContext } from './decision-builder.ts';
import type { Action, Decision } from './decision.ts';
import { webhookChecksum } from './hashing.ts';
import { messages } from './messages.ts';
import type { Observation } from './observation.ts';
import { analysedRevision } from './preconditions.ts';
import { webhookCalls } from './webhook-calls.ts';

// ---- rollback (reference §2.5) ----

export type RollbackCause = 'threshold' | 'progress-deadline' | 'primary-failed' | 'manual';

export function rollback(b: DecisionBuilder, cause: RollbackCause, detail = ''): Decision {
  const { ctx } = b;
  const { names, observation } = ctx;
  let message: string;
  switch (cause) {
    case 'threshold': {
      const failedChecks = b.status.failedChecks ?? 0;
      message = messages.thresholdReached(names, failedChecks);
      b.event('Warning', 'RollingBack', message).alert('error', messages.thresholdReachedAlert(failedChecks));
      break;
    }
    case 'progress-deadline':
      // Flagger sent no alert here (issue #1816).
      message = messages.progressDeadline(names, detail);
      b.event('Warning', 'RollingBack', message).alert('error', messages.progressDeadlineAlert(detail));
      break;
    case 'primary-failed':
      message = messages.primaryFailed(names, detail);
      b.event('Warning', 'RollingBack', message).alert('error', message);
      break;
    case 'manual':
      message = messages.manualRollback(names);
      b.event('Warning', 'RollingBack', message).alert('warn', messages.manualRollbackAlert());
      break;
  }
  // failedChecks is kept (Flagger reset it), so the Failed status still says why.
  endRun(b, 'Failed', observedRevision(observation))
    .event('Warning', 'CanaryFailed', messages.canaryFailed(names))
    .action({ type: 'pauseTargetScaler' })
    .action({ type: 'scaleTargetToZero' })
    .action(runOutcome(ctx, 'failure', 'completed'));
  // The last failed check (e.g. "… success rate 80.12% < 99%") stays in lastDecision, so the status says why.
  const lastFailure = cause === 'threshold' && detail ? ` (last failed check: ${detail})` : '';
  return addPostRolloutHooks(b, 'Failed')
    .explain('RolledBack', `${message}${lastFailure}; ${messages.canaryFailed(names)}`)
    .finish();
}

// ---- runs ended by the user's hand ----

/**
 * The target was put back to the revision the primary runs (kubectl rollout undo, a git revert) while a run was in
 * flight. As Argo Rollouts does for a rollback to the stable spec, the run ends at once: all traffic to the
 * primary, the canary scaled to zero, no hooks, no analysis — Succeeded, since the primary runs the target's spec.
 */
export function targetReverted(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { names, observation } = ctx;
  const message = messages.targetReverted(names);
  return endRun(b, 'Succeeded', observedRevision(observation))
    .action({ type: 'pauseTargetScaler' }, { type: 'scaleTargetToZero' })
    .event('Normal', 'TargetReverted', message)
    .explain('TargetReverted', message)
    .finish();
}

/**
 * The target was deleted during a run: its pods are gone, so every request routed to the canary fails. All traffic
 * goes back to the primary at once and the run ends Failed without hooks; the revision under test is forgotten, so
 * a target created again with any revision the primary does not run starts a new run.
 */
export function targetDeleted(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const message = messages.targetDeleted(ctx.names);
  return endRun(b, 'Failed', { lastAppliedSpec: b.status.lastPromotedSpec })
    .event('Warning', 'TargetDeleted', message)
    .alert('warn', message)
    .explain('TargetDeleted', message)
    .finish();
}

/**
 * Ends the run in `phase` with all traffic on the primary; `applied` is the revision recorded as handled, so that
 * revision does not start a new run.
 */
function endRun(
  b: DecisionBuilder,
  phase: 'Succeeded' | 'Failed',
  applied: Pick<CanaryStatus, 'lastAppliedSpec' | 'trackedConfigs'>,
): DecisionBuilder {
  return b
    .setCanaryWeight(0)
    .enterPhase(phase)
    .set({ iterations: 0, ...applied, preRolloutPassed: undefined })
    .clearSchedule()
    .routeTraffic();
}

/** The target's revision and configs as observed. */
function observedRevision(observation: Observation): Pick<CanaryStatus, 'lastAppliedSpec' | 'trackedConfigs'> {
  return { lastAppliedSpec: observation.targetHash, trackedConfigs: { ...observation.configChecksums } };
}

/** Flagger 1.44 (PR #1931): keep the canary serving all traffic when the primary cannot take the promotion. */
export function promotionFailed(b: DecisionBuilder, reason: string): Decision {
  const { ctx } = b;
  const message = messages.promotionFailed(ctx.names, reason);
  // Only a ready canary gets the traffic (and only a router can give it); otherwise routes stay as they are.
  const canServe = ctx.observation.canaryReadiness.state === 'ready' && ctx.observation.provider !== 'kubernetes';
  if (canServe) b.setCanaryWeight(100).routeTraffic();
  b.enterPhase('Failed')
    .set({ preRolloutPassed: undefined })
    .clearSchedule()
    .event('Warning', 'PromotionFailed', message)
    .alert('error', message)
    .action(runOutcome(ctx, 'failure', 'completed'));
  return addPostRolloutHooks(b, 'Failed').explain('PromotionFailed', message).finish();
}

/**
 * Copy the analysed revision and its configs to the primary. Both carry the revision and configs the analysis
 * judged as preconditions, so neither runs if the target changed meanwhile: a promotion is all or nothing.
 */
export function promotionActions(b: DecisionBuilder): [Action, Action] {
  const preconditions = analysedRevision(b.status, b.ctx.observation);
  return [
    { type: 'syncPrimaryConfigs', preconditions },
    { type: 'promote', revision: preconditions.targetRevision, preconditions },
  ];
}

/** Status of a fresh run of the observed revision. */
export function resetRun(b: DecisionBuilder, phase: CanaryPhase): void {
  const { observation } = b.ctx;
  b.enterPhase(phase)
    .setCanaryWeight(0)
    .set({
      failedChecks: 0,
      iterations: 0,
      ...observedRevision(observation),
      preRolloutPassed: undefined,
    })
    .clearSchedule();
}

export function runOutcome(
  ctx: DecisionContext,
  outcome: 'success' | 'failure',
  analysisStatus: 'completed' | 'skipped',
): Extract<Action, { type: 'recordRunOutcome' }> {
  return { type: 'recordRunOutcome', outcome, deploymentStrategy: ctx.strategy, analysisStatus };
}

/** Queues the post-rollout hooks (with the final phase in their payload), if the Canary has any. */
export function addPostRolloutHooks(b: DecisionBuilder, phase: 'Succeeded' | 'Failed'): DecisionBuilder {
  const { ctx } = b;
  const checksum = webhookChecksum(b.status);
  const calls = webhookCalls(ctx.analysis, 'post-rollout', ctx.observation.canary, phase, checksum);
  return calls.length > 0 ? b.action({ type: 'runPostRolloutHooks', calls }) : b;
}
