// The phase machine (reference §2): one pure step from an Observation (plus check results) to a Decision.
// Flagger's tick order is kept; timing is Linnet's: a step happens as soon as it may, and status.nextCheckTime
// spaces the analysis checks by the interval.
import type { CanaryPhase } from '@linnet/api';
import { formatDuration } from '@linnet/api';
import { metricsStage, walkStages, webhookStage, type CheckStage, type StageWalk } from './check-stages.ts';
import type { CheckBatch, CheckResult } from './checks.ts';
import { DecisionBuilder, decisionContext, type DecisionContext } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { hasTargetChanged, haveConfigsChanged, webhookChecksum } from './hashing.ts';
import { hookPassedMessage, messages } from './messages.ts';
import type { Observation } from './observation.ts';
import { canaryReceivesTraffic, gateFor, nextStrategyStep, type StrategyStep } from './strategy-step.ts';
import { formatTime } from './time-format.ts';
import { DEFAULT_TIMINGS, drainPeriodMs, type CoreTimings } from './timings.ts';
import { webhookCalls } from './webhook-calls.ts';
import { nextPromotionCanaryWeight } from './weight-schedule.ts';

/** Either the decision, or the checks that must run before it can be made. */
interface PendingChecks {
  readonly pendingChecks: CheckBatch;
}
type Outcome = Decision | PendingChecks;

const isPending = (outcome: Outcome): outcome is PendingChecks => 'pendingChecks' in outcome;

/**
 * The next batch of checks to run for this observation, given the results gathered so far; an empty batch list
 * means the decision can be made. Run each batch as CheckBatch.runUntil says, then call plan again.
 */
export function plan(
  observation: Observation,
  completed: readonly CheckResult[] = [],
  timings: CoreTimings = DEFAULT_TIMINGS,
): CheckBatch | undefined {
  const outcome = decideOrRequestChecks(decisionContext(observation, completed, timings));
  return isPending(outcome) ? outcome.pendingChecks : undefined;
}

/**
 * The decision for this observation and the results of the checks plan() asked for. If some are missing the
 * decision changes nothing and asks to be called again at once.
 */
export function decide(
  observation: Observation,
  results: readonly CheckResult[] = [],
  timings: CoreTimings = DEFAULT_TIMINGS,
): Decision {
  const ctx = decisionContext(observation, results, timings);
  const outcome = decideOrRequestChecks(ctx);
  if (!isPending(outcome)) return outcome;
  const ids = outcome.pendingChecks.checks.map((check) => check.id).join(', ');
  return new DecisionBuilder(ctx)
    .note('ChecksPending', `Waiting for the results of ${outcome.pendingChecks.purpose} checks: ${ids}`)
    .requeueAfter(0)
    .finish({ correctRoutes: false });
}

function decideOrRequestChecks(ctx: DecisionContext): Outcome {
  const b = new DecisionBuilder(ctx);
  const { deletion } = ctx.observation;
  if (deletion.requested) return decideDeletion(b);
  if (ctx.spec.revertOnDeletion && !deletion.finalizerPresent) b.action({ type: 'addFinalizer' });
  if (!ctx.spec.revertOnDeletion && deletion.finalizerPresent) b.action({ type: 'removeFinalizer' });

  if (ctx.spec.suspend) {
    // Nothing runs and traffic stays as it is; the event is sent once, not every interval as in Flagger.
    return b
      .eventOnce('Normal', 'Suspended', messages.suspended())
      .explain('Suspended', messages.suspended())
      .finish({ correctRoutes: false });
  }

  switch (b.phase) {
    case '':
    case 'Initializing':
    case 'Terminating':
    case 'Terminated':
      // Terminating/Terminated without a deletion cannot be resumed; start over as Flagger does for a new object.
      return initialize(b);
    case 'Initialized':
    case 'Succeeded':
    case 'Failed':
      return detectRevision(b);
    case 'Waiting':
      return awaitRolloutApproval(b);
    case 'Progressing':
    case 'WaitingPromotion':
      return analyse(b);
    case 'Promoting':
      return promote(b);
    case 'Finalising':
      return finalise(b);
  }
}

// ---- deletion (reference §3.7) ----

function decideDeletion(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { deletion, canaryReadiness } = ctx.observation;
  if (!deletion.finalizerPresent) {
    return b.note('Deleting', `${ctx.names.canary} is being deleted`).finish({ correctRoutes: false });
  }
  if (!ctx.spec.revertOnDeletion || b.phase === 'Terminated') {
    // Terminated was written by the previous decision; only now may the object go.
    return b
      .action({ type: 'removeFinalizer' })
      .explain('FinalizerRemoved', `Removing the finalizer of ${ctx.names.canary}`)
      .finish({ correctRoutes: false });
  }
  if (b.phase !== 'Terminating') {
    const message = messages.terminating(ctx.names);
    return b
      .enterPhase('Terminating')
      .clearSchedule()
      .event('Normal', 'Terminating', message)
      .action({ type: 'resumeTargetScaler' })
      .action({ type: 'scaleTargetUp', replicas: 'matchPrimary' })
      .explain('Terminating', `${message}: scaling ${ctx.names.target} back up before restoring its routing`)
      .requeueAfter(ctx.timings.readinessPollMs)
      .finish({ correctRoutes: false });
  }
  if (canaryReadiness.state !== 'ready') {
    const reason = canaryReadiness.state === 'failed' ? 'TargetFailed' : 'TargetNotReady';
    return b
      .eventOnce('Warning', reason, canaryReadiness.message)
      .explain(reason, canaryReadiness.message)
      .requeueAfter(ctx.timings.readinessPollMs)
      .finish({ correctRoutes: false });
  }
  const message = messages.terminated(ctx.names);
  return b
    .action({ type: 'revertRouting' })
    .enterPhase('Terminated')
    .event('Normal', 'Terminated', message)
    .explain('Terminated', message)
    .requeueAfter(0)
    .finish({ correctRoutes: false });
}

// ---- initialization (reference §2.2 steps 7–12) ----

function initialize(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { observation, names } = ctx;
  b.enterPhase('Initializing').action({ type: 'ensurePrimary' });
  if (!ctx.spec.skipAnalysis) {
    const readiness = observation.primaryReadiness;
    // Flagger rolls back when the primary cannot start during initialization, scaling the target to zero with
    // nothing else serving; Linnet keeps waiting and leaves the target alone.
    if (readiness.state !== 'ready') {
      const reason = readiness.state === 'failed' ? 'PrimaryFailed' : 'PrimaryNotReady';
      return b
        .eventOnce('Warning', reason, readiness.message)
        .explain(reason, readiness.message)
        .requeueAfter(ctx.timings.readinessPollMs)
        .finish();
    }
  }
  b.enterPhase('Initialized')
    .set({
      canaryWeight: 0,
      failedChecks: 0,
      iterations: 0,
      lastAppliedSpec: observation.targetHash,
      lastPromotedSpec: observation.targetHash,
      trackedConfigs: { ...observation.configChecksums },
    })
    .routeTraffic()
    .action({ type: 'pauseTargetScaler' })
    .action({ type: 'scaleTargetToZero' })
    .event('Normal', 'Initialized', messages.initialized(names))
    .alert('info', messages.initializedAlert(names))
    .explain('Initialized', `${messages.initialized(names)}: ${names.primary} serves all traffic`);
  return b.finish();
}

// ---- idle: Initialized, Succeeded, Failed (reference §2.2 steps 13–16) ----

function revisionChanged(ctx: DecisionContext, lastApplied: { lastAppliedSpec?: string; lastPromotedSpec?: string }) {
  const { targetHash, configChecksums, status } = ctx.observation;
  return hasTargetChanged(lastApplied, targetHash) || haveConfigsChanged(status.trackedConfigs, configChecksums);
}

function detectRevision(b: DecisionBuilder): Outcome {
  const { ctx } = b;
  const { observation } = ctx;
  if (!revisionChanged(ctx, observation.status)) {
    // The target was put back to what the primary runs (manual rollback): remember it, start nothing.
    if (observation.targetHash !== observation.status.lastAppliedSpec) {
      b.set({ lastAppliedSpec: observation.targetHash });
    }
    return b.note('Idle', `${ctx.names.canary} is ${b.phase}; no new revision`).finish();
  }
  const primaryWait = waitForPrimaryBeforeRun(b);
  if (primaryWait) return primaryWait;
  return confirmRolloutThenStart(b);
}

/** A run starts only while the primary can take all traffic back (unless the analysis is skipped). */
function waitForPrimaryBeforeRun(b: DecisionBuilder): Decision | undefined {
  const { ctx } = b;
  const readiness = ctx.observation.primaryReadiness;
  if (ctx.spec.skipAnalysis || readiness.state === 'ready') return undefined;
  const reason = readiness.state === 'failed' ? 'PrimaryFailed' : 'PrimaryNotReady';
  return b
    .eventOnce('Warning', reason, readiness.message)
    .explain(reason, readiness.message)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

function awaitRolloutApproval(b: DecisionBuilder): Outcome {
  const primaryWait = waitForPrimaryBeforeRun(b);
  if (primaryWait) return primaryWait;
  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) return waitForSchedule(b, untilDue, 'confirm-rollout retry');
  return confirmRolloutThenStart(b);
}

function confirmRolloutThenStart(b: DecisionBuilder): Outcome {
  const { ctx } = b;
  const { observation, names } = ctx;
  const inputs = stageInputs(
    ctx,
    b.phase,
    webhookChecksum({
      lastAppliedSpec: observation.targetHash,
      trackedConfigs: observation.configChecksums,
    }),
  );
  // Flagger documents rollback hooks for Waiting but never ran them there; Linnet does.
  const stages: CheckStage[] = [
    ...(b.phase === 'Waiting' ? [webhookStage('rollback', inputs)] : []),
    webhookStage('confirm-rollout', inputs),
  ];
  const walk = walkStages(stages, ctx.results, metricContext(ctx));
  if (walk.pending) return { pendingChecks: walk.pending };
  reportHooks(b, walk);

  const stop = walk.stop;
  if (stop?.kind === 'rollback-requested') return rollback(b, 'manual');
  if (stop?.kind === 'hook-failed') {
    const message = messages.waitingForApproval(names, stop.hook);
    b.event('Warning', 'WaitingForApproval', message);
    if (b.phase !== 'Waiting' && !isMuted(ctx, stop.hook)) b.alert('warn', messages.waitingForApprovalAlert());
    return b
      .enterPhase('Waiting')
      .scheduleIn(ctx.intervalMs)
      .explain('WaitingForApproval', `${message}: ${stop.error}`)
      .finish();
  }
  return startRun(b);
}

function startRun(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { names } = ctx;
  const message = messages.newRevision(names);
  b.event('Normal', 'NewRevision', message).alert('info', messages.newRevisionAlert());
  for (const warning of ctx.providerWarnings) b.event('Warning', 'ProviderLimitation', warning);
  resetRun(b, 'Progressing');
  return b
    .routeTraffic()
    .action({ type: 'resumeTargetScaler' })
    .action({ type: 'scaleTargetUp', replicas: 'fromZero' })
    .explain('NewRevision', `${message}: waiting for the canary to become ready`)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

/** Status of a fresh run of the observed revision. */
function resetRun(b: DecisionBuilder, phase: CanaryPhase): void {
  const { observation } = b.ctx;
  b.enterPhase(phase)
    .setCanaryWeight(0)
    .set({
      failedChecks: 0,
      iterations: 0,
      lastAppliedSpec: observation.targetHash,
      trackedConfigs: { ...observation.configChecksums },
      preRolloutPassed: undefined,
    })
    .clearSchedule();
}

// ---- analysis: Progressing, WaitingPromotion (reference §2.2 steps 14–25) ----

function analyse(b: DecisionBuilder): Outcome {
  const { ctx } = b;
  const { observation, names, spec, analysis } = ctx;
  const status = b.status;

  if (promotionAlreadyStarted(ctx)) return adoptPromotion(b);
  if (!spec.skipAnalysis) {
    const primary = observation.primaryReadiness;
    if (primary.state === 'failed') return rollback(b, 'primary-failed', primary.message);
    if (primary.state === 'waiting') return waitForReadiness(b, 'PrimaryNotReady', primary.message);
  }
  if (revisionChanged(ctx, status)) return restart(b);
  if (observation.targetReplicas === 0) return scaleCanaryBackUp(b);

  const canary = observation.canaryReadiness;
  if (canary.state === 'failed') return rollback(b, 'progress-deadline', canary.message);
  if (canary.state === 'waiting') return waitForReadiness(b, 'CanaryNotReady', canary.message);

  if (spec.skipAnalysis) return promoteWithoutAnalysis(b);
  if ((status.failedChecks ?? 0) >= analysis.threshold) return rollback(b, 'threshold');

  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) return waitForSchedule(b, untilDue, 'analysis check');

  const step = nextStrategyStep(status, analysis, ctx.strategy);
  const preRollout = !status.preRolloutPassed;
  const inputs = stageInputs(ctx, b.phase, webhookChecksum(status));
  const gate = gateFor(step);
  const stages: CheckStage[] = [webhookStage('rollback', inputs)];
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
function scaleCanaryBackUp(b: DecisionBuilder): Decision {
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
        .action({ type: 'syncPrimaryConfigs' })
        .action({ type: 'promote', revision: b.status.lastAppliedSpec ?? ctx.observation.targetHash })
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
  if (failedChecks >= ctx.analysis.threshold) return rollback(b, 'threshold');
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
  b.setCanaryWeight(0)
    .enterPhase('Succeeded')
    .set({ iterations: 0, lastPromotedSpec: revision, preRolloutPassed: undefined })
    .clearSchedule()
    .routeTraffic()
    .event('Normal', 'Promoting', messages.copyingTemplate(names))
    .action({ type: 'syncPrimaryConfigs' })
    .action({ type: 'promote', revision })
    .action({ type: 'pauseTargetScaler' })
    .action({ type: 'scaleTargetToZero' })
    .action(runOutcome(ctx, 'success', 'skipped'));
  addPostRolloutHooks(b, 'Succeeded')
    .event('Normal', 'Succeeded', messages.skippedCompleted(names))
    .alert('info', messages.skippedCompletedAlert());
  return b.explain('Succeeded', messages.skippedCompleted(names)).finish();
}

// ---- promotion (reference §2.3 "Promotion shift", §2.2 steps 21–22) ----

function promote(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { observation, names, analysis } = ctx;
  const primaryWait = waitForPromotedPrimary(b);
  if (primaryWait) return primaryWait;
  // The canary still serves its share until the shift is done.
  if (observation.targetReplicas === 0 && (b.status.canaryWeight ?? 0) > 0) return scaleCanaryBackUp(b);
  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) return waitForSchedule(b, untilDue, 'promotion step');

  if (observation.provider === 'kubernetes' || analysis.stepWeightPromotion <= 0) {
    b.setCanaryWeight(0).routeTraffic();
    if (observation.provider !== 'kubernetes') b.event('Normal', 'RouteAllToPrimary', messages.routeAllToPrimary());
    return enterFinalising(b, messages.routeAllToPrimary());
  }
  const canaryWeight = nextPromotionCanaryWeight(b.status.canaryWeight ?? 0, analysis.stepWeightPromotion);
  const message = messages.advancePrimaryWeight(names, 100 - canaryWeight);
  b.setCanaryWeight(canaryWeight).routeTraffic().event('Normal', 'AdvancePrimaryWeight', message);
  if (canaryWeight === 0) return enterFinalising(b, message);
  return b.scheduleIn(ctx.intervalMs).explain('AdvancePrimaryWeight', message).finish();
}

function enterFinalising(b: DecisionBuilder, message: string): Decision {
  const { ctx } = b;
  const drainMs = drainPeriodMs(ctx.analysis, ctx.timings);
  return b
    .enterPhase('Finalising')
    .set({ iterations: 0 })
    .scheduleIn(drainMs)
    .explain('Finalising', `${message}; ${messages.finalising(ctx.names, formatDuration(drainMs))}`)
    .finish();
}

/** Waits while the primary rolls out the promoted revision; a primary that cannot is a failed promotion. */
function waitForPromotedPrimary(b: DecisionBuilder): Decision | undefined {
  const { ctx } = b;
  const { observation, names } = ctx;
  const readiness = observation.primaryReadiness;
  if (readiness.state === 'failed') return promotionFailed(b, readiness.message);
  if (readiness.state === 'waiting') return waitForReadiness(b, 'PrimaryNotReady', readiness.message);
  const revision = b.status.lastAppliedSpec;
  if (observation.primaryRevision !== undefined && revision !== undefined && observation.primaryRevision !== revision) {
    return waitForReadiness(
      b,
      'PrimaryNotPromoted',
      `${names.primary} not ready: still runs revision ${observation.primaryRevision}, promoting ${revision}`,
    );
  }
  return undefined;
}

function finalise(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { names } = ctx;
  const readiness = ctx.observation.primaryReadiness;
  if (readiness.state === 'failed') return promotionFailed(b, readiness.message);
  if (readiness.state === 'waiting') return waitForReadiness(b, 'PrimaryNotReady', readiness.message);
  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) return waitForSchedule(b, untilDue, 'end of the drain period');

  const message = messages.promotionCompleted(names);
  b.setCanaryWeight(0)
    .enterPhase('Succeeded')
    .set({ iterations: 0, lastPromotedSpec: b.status.lastAppliedSpec, preRolloutPassed: undefined })
    .clearSchedule()
    .routeTraffic()
    .action({ type: 'pauseTargetScaler' })
    .action({ type: 'scaleTargetToZero' })
    .action(runOutcome(ctx, 'success', 'completed'));
  return addPostRolloutHooks(b, 'Succeeded')
    .event('Normal', 'Succeeded', message)
    .alert('info', messages.promotionCompletedAlert())
    .explain('Succeeded', message)
    .finish();
}

/** Flagger 1.44 (PR #1931): keep the canary serving all traffic when the primary cannot take the promotion. */
function promotionFailed(b: DecisionBuilder, reason: string): Decision {
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

// ---- rollback (reference §2.5) ----

type RollbackCause = 'threshold' | 'progress-deadline' | 'primary-failed' | 'manual';

function rollback(b: DecisionBuilder, cause: RollbackCause, detail = ''): Decision {
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
  b.setCanaryWeight(0)
    .enterPhase('Failed')
    .set({
      iterations: 0,
      lastAppliedSpec: observation.targetHash,
      trackedConfigs: { ...observation.configChecksums },
      preRolloutPassed: undefined,
    })
    .clearSchedule()
    .routeTraffic()
    .event('Warning', 'CanaryFailed', messages.canaryFailed(names))
    .action({ type: 'pauseTargetScaler' })
    .action({ type: 'scaleTargetToZero' })
    .action(runOutcome(ctx, 'failure', 'completed'));
  return addPostRolloutHooks(b, 'Failed')
    .explain('RolledBack', `${message}; ${messages.canaryFailed(names)}`)
    .finish();
}

// ---- shared pieces ----

function waitForReadiness(b: DecisionBuilder, reason: string, message: string): Decision {
  const { ctx } = b;
  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) b.requeueAfter(untilDue);
  return b
    .eventOnce('Warning', reason, message)
    .explain(reason, message)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

function waitForSchedule(b: DecisionBuilder, untilDue: number, what: string): Decision {
  const at = formatTime(b.ctx.nowMs + untilDue);
  return b.note('Scheduled', `Next ${what} of ${b.ctx.names.canary} at ${at}`).requeueAfter(untilDue).finish();
}

function reportHooks(b: DecisionBuilder, walk: StageWalk): void {
  for (const call of walk.passedHooks) {
    const message = hookPassedMessage(call.hookType, call.webhook.name);
    if (message) b.event('Normal', 'HookPassed', message);
  }
  for (const call of walk.silentRollbackHooks) {
    b.event('Normal', 'RollbackHookSilent', messages.rollbackHookSilent(call.webhook.name));
  }
}

function isMuted(ctx: DecisionContext, hook: string): boolean {
  return ctx.analysis.webhooks.some((webhook) => webhook.name === hook && webhook.muteAlert === true);
}

function stageInputs(ctx: DecisionContext, phase: CanaryPhase, checksum: string) {
  return { analysis: ctx.analysis, canary: ctx.observation.canary, phase, checksum };
}

function metricContext(ctx: DecisionContext) {
  return { canaryName: ctx.names.canary, targetName: ctx.names.target, time: formatTime(ctx.nowMs) };
}

function runOutcome(ctx: DecisionContext, outcome: 'success' | 'failure', analysisStatus: 'completed' | 'skipped') {
  return { type: 'recordRunOutcome', outcome, deploymentStrategy: ctx.strategy, analysisStatus } as const;
}

/** Queues the post-rollout hooks (with the final phase in their payload), if the Canary has any. */
function addPostRolloutHooks(b: DecisionBuilder, phase: 'Succeeded' | 'Failed'): DecisionBuilder {
  const { ctx } = b;
  const checksum = webhookChecksum(b.status);
  const calls = webhookCalls(ctx.analysis, 'post-rollout', ctx.observation.canary, phase, checksum);
  return calls.length > 0 ? b.action({ type: 'runPostRolloutHooks', calls }) : b;
}
