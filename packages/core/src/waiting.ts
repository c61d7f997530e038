// Decisions that wait: for a workload to become ready, or for the scheduled time of the next step.
import type { DecisionBuilder } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { formatTime } from './time-format.ts';

/**
 * A wait that is a normal part of a rollout is a Normal event: warning-based alerting must not fire on every
 * release. A workload that misses its progress deadline is judged `failed` instead and ends the run with a Warning.
 */
export function waitForReadiness(b: DecisionBuilder, reason: string, message: string): Decision {
  const { ctx } = b;
  const untilDue = b.msUntilScheduled();
  if (untilDue > 0) b.requeueAfter(untilDue);
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
