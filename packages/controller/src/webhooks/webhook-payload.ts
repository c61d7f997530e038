import type { EventWebhookRequest, WebhookCallRequest, WebhookPayload, WebhookType } from './webhook-types.ts';

/** The body Flagger POSTs to a hook; `metadata` is left out when the hook has none. */
export function buildWebhookPayload(request: WebhookCallRequest, type: WebhookType): WebhookPayload {
  const payload: WebhookPayload = {
    name: request.canary.name,
    namespace: request.canary.namespace,
    phase: request.phase,
    checksum: request.checksum,
    type,
  };
  const metadata = request.webhook.metadata;
  if (metadata !== undefined && Object.keys(metadata).length > 0) payload.metadata = { ...metadata };
  return payload;
}

/**
 * Event hooks get the event in `metadata`; the hook's own metadata is added but cannot override the three reserved
 * keys, so a receiver can always rely on them.
 */
export function buildEventWebhookPayload(request: EventWebhookRequest): WebhookPayload {
  const payload = buildWebhookPayload(request, 'event');
  payload.metadata = {
    ...request.webhook.metadata,
    eventMessage: request.event.message,
    eventType: request.event.eventType,
    timestamp: String(request.event.timestampMs),
  };
  return payload;
}
