// Webhook calls and their payloads (reference §7.1).
import type { CanaryPhase, DefaultedCanaryAnalysis } from '@linnet/api';
import type { HookType, PlannedWebhookCall, WebhookPayload } from './checks.ts';
import type { CanaryIdentity } from './observation.ts';

/** The spec's webhooks of one type, in spec order, each with the payload to POST. */
export function webhookCalls(
  analysis: Pick<DefaultedCanaryAnalysis, 'webhooks'>,
  hookType: HookType,
  canary: CanaryIdentity,
  phase: CanaryPhase,
  checksum: string,
): PlannedWebhookCall[] {
  const calls: PlannedWebhookCall[] = [];
  analysis.webhooks.forEach((webhook, index) => {
    if (webhook.type !== hookType) return;
    calls.push({
      kind: 'webhook',
      id: `webhooks[${index}]`,
      hookType,
      webhook,
      payload: webhookPayload(canary, phase, checksum, webhook.metadata),
    });
  });
  return calls;
}

export function webhookPayload(
  canary: CanaryIdentity,
  phase: CanaryPhase,
  checksum: string,
  metadata: Readonly<Record<string, string>> | undefined,
): WebhookPayload {
  return {
    name: canary.name,
    namespace: canary.namespace,
    phase,
    checksum,
    // Flagger omits empty metadata.
    ...(metadata && Object.keys(metadata).length > 0 && { metadata }),
  };
}

export interface RecordedEvent {
  readonly type: 'Normal' | 'Warning';
  readonly message: string;
}

/**
 * Payload for `event` webhooks: the event text, type and unix-ms timestamp in metadata, plus the hook's own
 * metadata (which cannot override those three keys).
 */
export function eventWebhookPayload(
  canary: CanaryIdentity,
  phase: CanaryPhase,
  checksum: string,
  event: RecordedEvent,
  eventTimeMs: number,
  hookMetadata: Readonly<Record<string, string>> | undefined,
): WebhookPayload {
  return webhookPayload(canary, phase, checksum, {
    ...hookMetadata,
    eventMessage: event.message,
    eventType: event.type,
    timestamp: String(eventTimeMs),
  });
}
