// Decisions that wait: for a workload to become ready, or for the scheduled time of the next step.
import type { DecisionBuilder } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { formatTime, parseTime } from './time-format.ts';

/**
 * A wait that is a normal part of a rollout is a Normal event: warning-based alerting must not fire on every
 * release. A workload that misses its progress deadline is judged `failed` instead and ends the run with a Warning.
 *
 * Right after a transition (Linnet has just scaled or promoted the workload) a workload whose controller has not yet
 * observed the new spec is waited for quietly, for up to one readiness poll: that lag is usually milliseconds and
 * not news, and reporting it cost a run up to two events and two status writes. Past the poll it is reported.
 */
export function waitForReadiness(
  b: DecisionBuilder,
  reason: string,
  readiness: { readonly message: string; readonly specUnobserved?: boolean },
): Decision {
  const { ctx } = b;
  const { message } = readiness;
  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) b.requeueAfter(untilDue);
  const sinceTransitionMs = ctx.nowMs - (parseTime(ctx.observation.status.lastTransitionTime) ?? -Infinity);
  if (readiness.specUnobserved === true && sinceTransitionMs < ctx.timings.readinessPollMs) {
    return b
      .note(reason, message)
      .requeueAfter(ctx.timings.readinessPollMs - sinceTransitionMs)
      .finish();
  }
  return b
    .eventOnce('Normal', reason, message)
    .explain(reason, message)
    .requeueAfter(ctx.timings.readinessPollMs)
    .finish();
}

export function waitForSchedule(b: DecisionBuilder, untilDue: number, what: string): Decision {
  const at = formatTime(b.ctx.nowMs + untilDue);
  return b.note('Scheduled', `Next ${what} of ${b.ctx.names.canary} at ${at}`).requeueAfter(untilDue).finish();
}
