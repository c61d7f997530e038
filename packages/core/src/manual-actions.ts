// Manual controls (docs/cli.md "Manual controls"): a promote, abort or retry request that `linnet` recorded on the
// Canary reaches the core as Observation.manualAction. The core acts on it or discards it, and records either in
// status.lastManualAction; the shell removes the request once that status is written. A request that matches
// status.lastManualAction was handled already (the controller stopped before removing it) and is not done twice.
import type { LastManualAction } from '@linnet/api';
import { isRevertedToPrimary, revisionChanged, type Outcome } from './analysis-phase.ts';
import type { DecisionBuilder } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { messages } from './messages.ts';
import type { ManualActionRequest } from './observation.ts';
import { promotionActions, rollback } from './run-endings.ts';
import { formatTime } from './time-format.ts';

/** Phases in which promote and abort act: a run whose analysis has not ended. */
const RUNNING_PHASES = new Set(['Progressing', 'Waiting', 'WaitingPromotion']);

export const manualActionMessages = {
  promoted: (canary: string, at: string) => `Promotion of ${canary} requested by linnet promote${atTime(at)}`,
  aborted: (at: string) => `aborted by linnet abort${atTime(at)}`,
  retried: (canary: string, at: string) => `Retry of ${canary} requested by linnet retry${atTime(at)}`,
  ignored: (action: string, why: string) => `${action} ignored: ${why}`,
};

const atTime = (at: string): string => (at ? ` at ${at}` : '');

/** The request was handled before (same action and time); a request without a time is never taken for a replay. */
export function isHandledManualAction(request: ManualActionRequest, last: LastManualAction | undefined): boolean {
  return (
    last !== undefined &&
    request.requestedAt !== '' &&
    last.action === request.action &&
    last.requestedAt === request.requestedAt
  );
}

/** What the phase machine does after handling the request: finish with this outcome, or carry on as usual. */
export type ManualActionOutcome =
  { readonly kind: 'decided'; readonly outcome: Outcome } | { readonly kind: 'continue' };

export interface ManualActionHooks {
  /** Starts a new run of the observed revision (confirm-rollout gates, then Progressing). */
  readonly startRun: (b: DecisionBuilder) => Outcome;
}

/**
 * Handles the pending request, if any, of a Canary that is not suspended or being deleted. Acting records the
 * request and returns the decision; discarding records it with a Normal event and lets the phase go on as usual.
 */
export function handleManualAction(b: DecisionBuilder, hooks: ManualActionHooks): ManualActionOutcome {
  const request = b.ctx.observation.manualAction;
  if (!request || isHandledManualAction(request, b.ctx.observation.status.lastManualAction)) {
    return { kind: 'continue' };
  }
  switch (request.action) {
    case 'promote':
      return manualPromote(b, request);
    case 'abort':
      return manualAbort(b, request);
    case 'retry':
      return manualRetry(b, request, hooks);
  }
}

function record(b: DecisionBuilder, request: ManualActionRequest, result: 'acted' | 'discarded', message: string) {
  b.set({
    lastManualAction: {
      action: request.action,
      requestedAt: request.requestedAt,
      result,
      message,
      time: formatTime(b.ctx.nowMs),
    },
  });
}

function discard(b: DecisionBuilder, request: ManualActionRequest, why: string): ManualActionOutcome {
  const message = manualActionMessages.ignored(request.action, why);
  record(b, request, 'discarded', message);
  b.event('Normal', 'ManualActionIgnored', message);
  return { kind: 'continue' };
}

const phaseReason = (b: DecisionBuilder): string => `the canary is ${b.phase || 'not initialized'}`;

function manualPromote(b: DecisionBuilder, request: ManualActionRequest): ManualActionOutcome {
  const { ctx } = b;
  const { observation, names } = ctx;
  if (!RUNNING_PHASES.has(b.phase)) return discard(b, request, phaseReason(b));
  // A new revision replaces the one under analysis: that one is not promoted, the analysis restarts.
  if (revisionChanged(ctx, b.status)) return discard(b, request, `a new revision of ${names.target} arrived`);
  if (isRevertedToPrimary(ctx)) return discard(b, request, `${names.target} was reverted to what the primary runs`);
  // Never promote what is not running and ready: the promoted template must be known to start.
  const canary = observation.canaryReadiness;
  if (observation.targetReplicas === 0 || canary.state !== 'ready') {
    const detail = canary.state === 'ready' ? `${names.target} is scaled to zero` : canary.message;
    return discard(b, request, `${names.target} is not ready (${detail})`);
  }
  const message = manualActionMessages.promoted(names.canary, request.requestedAt);
  record(b, request, 'acted', message);
  const copying = messages.copyingTemplate(names);
  const decision = b
    .enterPhase('Promoting')
    .event('Normal', 'PromotionRequested', message)
    .event('Normal', 'Promoting', copying)
    .action(...promotionActions(b))
    .clearSchedule()
    .explain('PromotionRequested', `${message}; ${copying}: waiting for the primary rollout`)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
  return { kind: 'decided', outcome: decision };
}

function manualAbort(b: DecisionBuilder, request: ManualActionRequest): ManualActionOutcome {
  const { ctx } = b;
  if (!RUNNING_PHASES.has(b.phase)) {
    const why =
      b.phase === 'Promoting' || b.phase === 'Finalising'
        ? `${phaseReason(b)}, past the point of rollback`
        : phaseReason(b);
    return discard(b, request, why);
  }
  const aborted = manualActionMessages.aborted(request.requestedAt);
  const message = `Canary ${ctx.names.canary} ${aborted}`;
  record(b, request, 'acted', message);
  b.event('Warning', 'Aborted', message);
  // The rollback of a closed rollback gate, with the abort as its explanation.
  const decision = rollback(b, 'manual');
  const explanation = `${message}; ${messages.canaryFailed(ctx.names)}`;
  return { kind: 'decided', outcome: withExplanation(b, decision, 'Aborted', explanation) };
}

function manualRetry(b: DecisionBuilder, request: ManualActionRequest, hooks: ManualActionHooks): ManualActionOutcome {
  const { ctx } = b;
  if (b.phase !== 'Failed') return discard(b, request, phaseReason(b));
  const primary = ctx.observation.primaryReadiness;
  if (!ctx.spec.skipAnalysis && primary.state !== 'ready') {
    return discard(b, request, `${ctx.names.primary} is not ready to take the traffic back (${primary.message})`);
  }
  const message = manualActionMessages.retried(ctx.names.canary, request.requestedAt);
  record(b, request, 'acted', message);
  b.event('Normal', 'RetryRequested', message);
  return { kind: 'decided', outcome: hooks.startRun(b) };
}

/** The decision with its reason and explanation replaced (in status.lastDecision too). */
function withExplanation(b: DecisionBuilder, decision: Decision, reason: string, explanation: string): Decision {
  const time = formatTime(b.ctx.nowMs);
  return {
    ...decision,
    reason,
    explanation,
    status: { ...decision.status, lastDecision: { reason, message: explanation, time } },
  };
}
