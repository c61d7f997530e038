// The phase machine (reference §2): one pure step from an Observation (plus check results) to a Decision.
// Flagger's tick order is kept; timing is Linnet's: a step happens as soon as it may, and status.nextCheckTime
// spaces the analysis checks by the interval. This file dispatches on the phase and handles the start of a run;
// analysis-phase.ts, promotion-phase.ts, run-endings.ts and deletion-phase.ts hold the rest.
import { analyse, isRevertedToPrimary, revisionChanged, type Outcome, type PendingChecks } from './analysis-phase.ts';
import { walkStages, webhookStage, type CheckStage } from './check-stages.ts';
import type { CheckBatch, CheckResult } from './checks.ts';
import { DecisionBuilder, decisionContext, type DecisionContext } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { decideDeletion } from './deletion-phase.ts';
import { webhookChecksum } from './hashing.ts';
import { isMuted, metricContext, reportHooks, stageInputs } from './hook-reporting.ts';
import { handleManualAction } from './manual-actions.ts';
import { messages } from './messages.ts';
import type { Observation } from './observation.ts';
import { observedTarget } from './preconditions.ts';
import { finalise, promote } from './promotion-phase.ts';
import { resetRun, rollback, targetDeleted, targetReverted } from './run-endings.ts';
import { DEFAULT_TIMINGS, type CoreTimings } from './timings.ts';
import { waitForSchedule } from './waiting.ts';

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

  if (ctx.observation.targetMissing) return targetMissing(b);
  const { primaryMissing } = ctx.observation;
  if (primaryMissing !== undefined && b.phase !== '' && b.phase !== 'Initializing') {
    // Whatever the phase, nothing can be served or promoted without the primary: create it again first.
    return initialize(b.event('Warning', 'PrimaryMissing', messages.primaryMissing(ctx.names, primaryMissing)));
  }

  // A manual request (docs/cli.md) acts before the phase's own step, or is discarded and the phase goes on.
  const manual = handleManualAction(b, { startRun: confirmRolloutThenStart });
  if (manual.kind === 'decided') return manual.outcome;

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

/** Phases in which a run is in flight: traffic or the primary may depend on the target. */
const RUN_PHASES = new Set(['Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);

/** The target is gone: a run in flight ends with all traffic on the primary; otherwise wait for the target. */
function targetMissing(b: DecisionBuilder): Decision {
  if (RUN_PHASES.has(b.phase)) return targetDeleted(b);
  const { names } = b.ctx;
  return b
    .note('TargetNotFound', `${names.target} not found: ${names.primary} keeps serving; waiting for ${names.target}`)
    .finish();
}

// ---- initialization (reference §2.2 steps 7–12) ----

function initialize(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { observation, names } = ctx;
  b.enterPhase('Initializing').action({
    type: 'ensurePrimary',
    revision: observation.targetHash,
    preconditions: observedTarget(observation),
  });
  // Flagger rolls back when the primary cannot start during initialization, scaling the target to zero with
  // nothing else serving; Linnet keeps waiting and leaves the target alone.
  const primaryWait = waitForPrimaryBeforeRun(b);
  if (primaryWait) return primaryWait;
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

// ---- idle: Initialized, Succeeded, Failed; Waiting (reference §2.2 steps 13–16) ----

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

/**
 * Initialization finishes, and a run starts, only while the primary can take all traffic back (unless the analysis
 * is skipped).
 */
function waitForPrimaryBeforeRun(b: DecisionBuilder): Decision | undefined {
  const { ctx } = b;
  const readiness = ctx.observation.primaryReadiness;
  if (ctx.spec.skipAnalysis || readiness.state === 'ready') return undefined;
  const failed = readiness.state === 'failed';
  const reason = failed ? 'PrimaryFailed' : 'PrimaryNotReady';
  return b
    .eventOnce(failed ? 'Warning' : 'Normal', reason, readiness.message)
    .explain(reason, readiness.message)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

function awaitRolloutApproval(b: DecisionBuilder): Outcome {
  // The change that asked for approval was undone: nothing left to roll out.
  if (isRevertedToPrimary(b.ctx)) return targetReverted(b);
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
