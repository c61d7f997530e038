// Post-rollout webhooks: called after a run ends (Succeeded or Failed). Their outcome cannot change the run; a
// failure is reported as a Warning event (reference §7.1).
import type { CanaryEvent, PlannedWebhookCall } from '@linnet/core';
import { hookPassedMessage, postRolloutHookFailedMessage } from '@linnet/core';
import type { ExecutionContext } from './execution-context.ts';

export async function runPostRolloutHooks(
  ctx: ExecutionContext,
  calls: readonly PlannedWebhookCall[],
): Promise<CanaryEvent[]> {
  const events: CanaryEvent[] = [];
  for (const call of calls) {
    const result = await ctx.webhookClient.call({
      webhook: call.webhook,
      canary: { name: call.payload.name, namespace: call.payload.namespace },
      phase: call.payload.phase,
      checksum: call.payload.checksum,
    });
    if (result.succeeded) {
      const message = hookPassedMessage('post-rollout', call.webhook.name);
      if (message) events.push({ type: 'Normal', reason: 'HookPassed', message });
    } else {
      events.push({
        type: 'Warning',
        reason: 'PostRolloutHookFailed',
        message: postRolloutHookFailedMessage(call.webhook.name, result.message),
      });
      // Like every hook type, the first failure stops the rest.
      break;
    }
  }
  return events;
}
