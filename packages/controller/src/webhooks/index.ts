export { createWebhookClient, DEFAULT_WEBHOOK_MAX_ANSWER_BYTES } from './webhook-client.ts';
export type { RetryBackoff, WebhookClientOptions } from './webhook-client.ts';
export { buildEventWebhookPayload, buildWebhookPayload } from './webhook-payload.ts';
export { runRollbackWebhooks, runWebhooksUntilFailure, selectWebhooks } from './run-webhooks.ts';
export type { GateRun, RollbackRun, WebhookRunContext } from './run-webhooks.ts';
export { normaliseWebhookType } from './webhook-types.ts';
export type {
  CanaryEvent,
  CanaryIdentity,
  EventWebhookRequest,
  KubernetesEventType,
  WebhookCallRequest,
  WebhookClient,
  WebhookDefinition,
  WebhookOutcomeReason,
  WebhookPayload,
  WebhookResult,
  WebhookType,
} from './webhook-types.ts';
