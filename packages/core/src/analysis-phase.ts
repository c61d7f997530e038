// Analysis (reference §2.2 steps 14–25): Progressing and WaitingPromotion. Readiness and revision guards first,
// then, when a check is due, the stages of checks and the strategy's next step.
import type { CheckBatch } from './checks.ts';
import { metricsStage, walkStages, webhookStage, type CheckStage } from './check-stages.ts';
import type { DecisionBuilder, DecisionContext } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { hasTargetChanged, haveConfigsChanged, webhookChecksum } from './hashing.ts';
import { isMuted, metricContext, reportHooks, stageInputs } from './hook-reporting.ts';
import { messages } from './messages.ts';
import {
  addPostRolloutHooks,
  promotionActions,
  resetRun,
  rollback,
  runOutcome,
  targetReverted,
} from './run-endings.ts';
import { canaryReceivesTraffic, gateFor, nextStrategyStep, type StrategyStep } from './strategy-step.ts';
import { waitForReadiness, waitForSchedule } from './waiting.ts';

/** The checks that must run before a decision can be made. */
export interface PendingChecks {
  readonly pendingChecks: CheckBatch;
}
export type Outcome = Decision | PendingChecks;

export function revisionChanged(
  ctx: DecisionContext,
  lastApplied: { lastAppliedSpec?: string; lastPromotedSpec?: string },
) {
  const { targetHash, configChecksums, status } = ctx.observation;
  return hasTargetChanged(lastApplied, targetHash) || haveConfigsChanged(status.trackedConfigs, configChecksums);
}

/** The target (template and tracked configs) is back to what the primary was last promoted from. */
export function isRevertedToPrimary(ctx: DecisionContext): boolean {
  const { targetHash, configChecksums, status } = ctx.observation;
  return targetHash === status.lastPromotedSpec && !haveConfigsChanged(status.trackedConfigs, configChecksums);
}

export function analyse(b: DecisionBuilder): Outcome {
  const { ctx } = b;
  const { observation, names, spec, analysis } = ctx;
  const status = b.status;

  if (promotionAlreadyStarted(ctx)) return adoptPromotion(b);
  if (status.lastAppliedSpec !== status.lastPromotedSpec && isRevertedToPrimary(ctx)) return targetReverted(b);
  if (!spec.skipAnalysis) {
    const primary = observation.primaryReadiness;
    if (primary.state === 'failed') return rollback(b, 'primary-failed', primary.message);
    if (primary.state === 'waiting') return waitForReadiness(b, 'PrimaryNotReady', primary);
  }
  if (revisionChanged(ctx, status)) return restart(b);
  if (observation.targetReplicas === 0) return scaleCanaryBackUp(b);

  const canary = observation.canaryReadiness;
  if (canary.state === 'failed') return rollback(b, 'progress-deadline', canary.message);
  if (canary.state === 'waiting') return waitForReadiness(b, 'CanaryNotReady', canary);

  if (spec.skipAnalysis) return promoteWithoutAnalysis(b);
  if ((status.failedChecks ?? 0) >= analysis.threshold) return rollback(b, 'threshold');

  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) return waitForSchedule(b, untilDue, 'analysis check');

  const step = nextStrategyStep(status, analysis, ctx.strategy);
  const preRollout = !status.preRolloutPassed;
  const checksum = webhookChecksum(status);
  // Flagger sends rollback hooks the current phase and every other analysis hook "Progressing", also while the
  // run is WaitingPromotion.
  const inputs = stageInputs(ctx, 'Progressing', checksum);
  const gate = gateFor(step);
  const stages: CheckStage[] = [webhookStage('rollback', stageInputs(ctx, b.phase, checksum))];
  if (preRollout) stages.push(webhookStage('pre-rollout', inputs));
  else if (canaryReceivesTraffic(status, analysis, ctx.strategy)) {
    stages.push(webhookStage('rollout', inputs), metricsStage(analysis));
  }
  if (gate) stages.push(webhookStage(gate, inputs));

  const walk = walkStages(stages, ctx.results, metricContext(ctx));
  if (walk.pending) return { pendingChecks: walk.pending };

  if (preRollout) b.event('Normal', 'StartingAnalysis', messages.startingAnalysis(names));
  reportHooks(b, walk);
  if (walk.metricResults.length > 0) b.set({ lastChecks: [...walk.metricResults] });
  if (walk.passedPurposes.has('pre-rollout')) b.set({ preRolloutPassed: true });

  const stop = walk.stop;
  if (stop?.kind === 'rollback-requested') return rollback(b, 'manual');
  if (stop?.kind === 'metric-failed') return failedCheck(b, 'MetricCheckFailed', stop.message);
  if (stop?.kind === 'hook-failed') {
    switch (stop.purpose) {
      case 'pre-rollout':
        return failedCheck(b, 'PreRolloutCheckFailed', messages.preRolloutFailed(names, stop.hook, stop.error));
      case 'rollout':
        return failedCheck(b, 'RolloutCheckFailed', messages.rolloutFailed(names, stop.hook, stop.error));
      case 'confirm-traffic-increase':
        return trafficIncreaseDenied(b, stop.hook, stop.error);
      default:
        return promotionDenied(b, stop.hook, stop.error);
    }
  }
  return takeStep(b, step);
}

/**
 * The primary already runs the revision under analysis although the status does not say Promoting: the promote
 * action ran but its status write was lost (a crash, a conflict). Analysing further makes no sense.
 */
function promotionAlreadyStarted(ctx: DecisionContext): boolean {
  const { primaryRevision, status } = ctx.observation;
  return (
    primaryRevision !== undefined &&
    primaryRevision === status.lastAppliedSpec &&
    status.lastAppliedSpec !== status.lastPromotedSpec
  );
}

function adoptPromotion(b: DecisionBuilder): Decision {
  const { ctx } = b;
  return b
    .enterPhase('Promoting')
    .clearSchedule()
    .explain(
      'Promoting',
      `${ctx.names.primary} already runs revision ${b.status.lastAppliedSpec}: continuing its promotion`,
    )
    .requeueAfter(0)
    .finish();
}

/** Something (a lost rollback write, a GitOps sync) scaled the target to zero mid-run: bring it back first. */
export function scaleCanaryBackUp(b: DecisionBuilder): Decision {
  const { ctx } = b;
  return b
    .action({ type: 'resumeTargetScaler' })
    .action({ type: 'scaleTargetUp', replicas: 'fromZero' })
    .explain('ScalingUp', `${ctx.names.target} was scaled to zero during the run: scaling it back up`)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

function takeStep(b: DecisionBuilder, step: StrategyStep): Decision {
  const { ctx } = b;
  const { names, analysis } = ctx;
  switch (step.kind) {
    case 'start-mirroring':
      // Flagger announces the mirror step as weight 0.
      b.enterPhase('Progressing').routeTraffic().event('Normal', 'AdvanceWeight', messages.advanceWeight(names, 0));
      return b
        .scheduleIn(ctx.intervalMs)
        .explain('StartMirroring', `${messages.advanceWeight(names, 0)}: mirroring primary traffic to the canary`)
        .finish();
    case 'increase-weight': {
      const message = messages.advanceWeight(names, step.to);
      b.enterPhase('Progressing').setCanaryWeight(step.to).routeTraffic().event('Normal', 'AdvanceWeight', message);
      return b.scheduleIn(ctx.intervalMs).explain('AdvanceWeight', message).finish();
    }
    case 'iterate': {
      const message = messages.advanceIteration(names, step.to, analysis.iterations);
      b.enterPhase('Progressing').set({ iterations: step.to });
      if (ctx.strategy === 'ab-testing') b.setCanaryWeight(100);
      b.routeTraffic().event('Normal', 'AdvanceIteration', message);
      return b.scheduleIn(ctx.intervalMs).explain('AdvanceIteration', message).finish();
    }
    case 'route-all-to-canary': {
      const wasMirroring = b.status.canaryWeight === 0 && analysis.mirror && ctx.observation.provider !== 'kubernetes';
      b.enterPhase('Progressing').set({ iterations: analysis.iterations + 1 });
      const message = messages.routeAllToCanary(wasMirroring);
      // The kubernetes provider has no router: the iteration count alone moves the run on.
      if (ctx.observation.provider !== 'kubernetes') {
        b.setCanaryWeight(100).routeTraffic().event('Normal', 'RouteAllToCanary', message);
      }
      return b.scheduleIn(ctx.intervalMs).explain('RouteAllToCanary', message).finish();
    }
    case 'promote': {
      const message = messages.copyingTemplate(names);
      return b
        .enterPhase('Promoting')
        .event('Normal', 'Promoting', message)
        .action(...promotionActions(b))
        .clearSchedule()
        .explain('Promoting', `${message}: waiting for the primary rollout`)
        .requeueAfter(ctx.timings.readinessPollMs)
        .finish();
    }
  }
}

function failedCheck(b: DecisionBuilder, reason: string, message: string): Decision {
  const { ctx } = b;
  const failedChecks = (b.status.failedChecks ?? 0) + 1;
  b.set({ failedChecks }).event('Warning', reason, message);
  // Linnet rolls back as soon as the threshold is reached; Flagger waited for the next tick.
  if (failedChecks >= ctx.analysis.threshold) return rollback(b, 'threshold', message);
  return b
    .scheduleIn(ctx.intervalMs)
    .explain(reason, `${message}; failed checks ${failedChecks}/${ctx.analysis.threshold}`)
    .finish();
}

function trafficIncreaseDenied(b: DecisionBuilder, hook: string, error: string): Decision {
  const { ctx } = b;
  const message = messages.waitingForTrafficIncrease(ctx.names, hook);
  b.event('Warning', 'WaitingForTrafficIncreaseApproval', message);
  const alreadyWaiting = ctx.observation.status.lastDecision?.reason === 'WaitingForTrafficIncreaseApproval';
  if (!alreadyWaiting && !isMuted(ctx, hook)) b.alert('warn', messages.waitingForTrafficIncreaseAlert());
  return b.scheduleIn(ctx.intervalMs).explain('WaitingForTrafficIncreaseApproval', `${message}: ${error}`).finish();
}

function promotionDenied(b: DecisionBuilder, hook: string, error: string): Decision {
  const { ctx } = b;
  const message = messages.waitingForPromotion(ctx.names, hook);
  b.event('Warning', 'WaitingForPromotionApproval', message);
  if (b.phase !== 'WaitingPromotion' && !isMuted(ctx, hook)) b.alert('warn', messages.waitingForPromotionAlert());
  // Flagger zeroed the weight and set iterations to N-1 here; the status keeps describing the traffic instead.
  return b
    .enterPhase('WaitingPromotion')
    .scheduleIn(ctx.intervalMs)
    .explain('WaitingForPromotionApproval', `${message}: ${error}`)
    .finish();
}

function restart(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const message = messages.restartAnalysis(ctx.names);
  b.event('Normal', 'NewRevision', message);
  resetRun(b, 'Progressing');
  return b
    .routeTraffic()
    .explain('RestartAnalysis', `${message}: all traffic back to ${ctx.names.primary}`)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

function promoteWithoutAnalysis(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { names } = ctx;
  const revision = b.status.lastAppliedSpec ?? ctx.observation.targetHash;
  const promotion = promotionActions(b);
  b.setCanaryWeight(0)
    .enterPhase('Succeeded')
    .set({ iterations: 0, lastPromotedSpec: revision, preRolloutPassed: undefined })
    .clearSchedule()
    .routeTraffic()
    .event('Normal', 'Promoting', messages.copyingTemplate(names))
    .action(...promotion)
    .action({ type: 'pauseTargetScaler' })
    .action({ type: 'scaleTargetToZero' })
    .action(runOutcome(ctx, 'success', 'skipped'));
  addPostRolloutHooks(b, 'Succeeded')
    .event('Normal', 'Succeeded', messages.skippedCompleted(names))
    .alert('info', messages.skippedCompletedAlert());
  return b.explain('Succeeded', messages.skippedCompleted(names)).finish();
}
