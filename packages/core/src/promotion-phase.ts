// Promotion (reference §2.3 "Promotion shift", §2.2 steps 21–22): Promoting waits for the primary to roll out the
// promoted revision and shifts traffic back to it; Finalising drains the canary, then the run succeeds.
import { formatDuration } from '@linnet/api';
import type { DecisionBuilder } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { messages } from './messages.ts';
import { addPostRolloutHooks, promotionFailed, runOutcome } from './run-endings.ts';
import { drainPeriodMs } from './timings.ts';
import { waitForReadiness, waitForSchedule } from './waiting.ts';
import { nextPromotionCanaryWeight } from './weight-schedule.ts';
import { scaleCanaryBackUp } from './analysis-phase.ts';

export function promote(b: DecisionBuilder): Decision {
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

export function enterFinalising(b: DecisionBuilder, message: string): Decision {
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
  if (readiness.state === 'waiting') return waitForReadiness(b, 'PrimaryNotReady', readiness);
  const revision = b.status.lastAppliedSpec;
  if (observation.primaryRevision !== undefined && revision !== undefined && observation.primaryRevision !== revision) {
    return waitForReadiness(b, 'PrimaryNotPromoted', {
      message: `${names.primary} not ready: still runs revision ${observation.primaryRevision}, promoting ${revision}`,
    });
  }
  return undefined;
}

export function finalise(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { names } = ctx;
  const readiness = ctx.observation.primaryReadiness;
  if (readiness.state === 'failed') return promotionFailed(b, readiness.message);
  if (readiness.state === 'waiting') return waitForReadiness(b, 'PrimaryNotReady', readiness);
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
