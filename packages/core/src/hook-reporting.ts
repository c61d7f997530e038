// Turning a walk over check stages into the events Flagger records for hooks, and the inputs stages need.
import type { CanaryPhase } from '@linnet/api';
import type { StageInputs, StageWalk } from './check-stages.ts';
import type { DecisionBuilder, DecisionContext } from './decision-builder.ts';
import type { MetricContext } from './metric-judgement.ts';
import { hookPassedMessage, messages } from './messages.ts';
import { formatTime } from './time-format.ts';

export function reportHooks(b: DecisionBuilder, walk: StageWalk): void {
  for (const call of walk.passedHooks) {
    const message = hookPassedMessage(call.hookType, call.webhook.name);
    if (message) b.event('Normal', 'HookPassed', message);
  }
  for (const call of walk.silentRollbackHooks) {
    b.event('Normal', 'RollbackHookSilent', messages.rollbackHookSilent(call.webhook.name));
  }
}

export function isMuted(ctx: DecisionContext, hook: string): boolean {
  return ctx.analysis.webhooks.some((webhook) => webhook.name === hook && webhook.muteAlert === true);
}

export function stageInputs(ctx: DecisionContext, phase: CanaryPhase, checksum: string): StageInputs {
  return { analysis: ctx.analysis, canary: ctx.observation.canary, phase, checksum };
}

export function metricContext(ctx: DecisionContext): MetricContext & { readonly time: string } {
  return { canaryName: ctx.names.canary, targetName: ctx.names.target, time: formatTime(ctx.nowMs) };
}
