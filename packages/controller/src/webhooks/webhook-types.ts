import { WEBHOOK_TYPES, type WebhookType as SpecWebhookType } from '@linnet/api';

// The webhook contract Linnet shares with Flagger (reference §7): which hooks exist, what is sent, and what a call
// reports back to the reconcile loop.

/** Flagger's eight hook types, after an empty `type` has been read as `rollout`. */
export type WebhookType = Exclude<SpecWebhookType, ''>;

/**
 * One entry of `spec.analysis.webhooks[]`. Declared structurally (not imported from @linnet/api) so that both the
 * parsed Canary type and the global `-event-webhook` flag can be passed without conversion.
 */
export interface WebhookDefinition {
  name: string;
  url: string;
  /** "" or absent = rollout. */
  type?: string | undefined;
  /** Go duration per attempt; default 10s (also when shorter than 2 characters, as in Flagger). */
  timeout?: string | undefined;
  /**
   * Extra attempts after the first on connection errors, timeouts, 429 and 5xx other than 501; at most
   * MAX_WEBHOOK_RETRIES, and all attempts with their pauses end within timeout × (retries + 1).
   */
  retries?: number | undefined;
  /** Skip TLS certificate verification. */
  disableTLS?: boolean | undefined;
  /** Suppress the warn alert a failing gate would send; surfaced on the result, acted on by the caller. */
  muteAlert?: boolean | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
}

/** The JSON body POSTed to every hook (Flagger's CanaryWebhookPayload). `metadata` is omitted when empty. */
export interface WebhookPayload {
  name: string;
  namespace: string;
  phase: string;
  checksum: string;
  type: WebhookType;
  metadata?: Record<string, string>;
}

export interface CanaryIdentity {
  name: string;
  namespace: string;
}

export interface WebhookCallRequest {
  webhook: WebhookDefinition;
  canary: CanaryIdentity;
  /** The phase to report; see reference §7.1 for which phase each hook type is sent. */
  phase: string;
  /** Hash over the canary's tracked configs and last applied spec, computed by the core. */
  checksum: string;
  /** Ends the call at once (a deleted Canary, a new revision, a lost leadership term); reported as WebhookAborted. */
  signal?: AbortSignal | undefined;
  /** Sent as `Authorization: Bearer <token>`; never logged or reported (a private test loader's token). */
  bearerToken?: string;
}

export type KubernetesEventType = 'Normal' | 'Warning';

export interface CanaryEvent {
  message: string;
  eventType: KubernetesEventType;
  /** Unix time in milliseconds (injected clock). */
  timestampMs: number;
}

export interface EventWebhookRequest extends WebhookCallRequest {
  event: CanaryEvent;
}

/** Machine reasons, usable as event or condition reasons. */
export type WebhookOutcomeReason =
  | 'WebhookSucceeded'
  | 'WebhookRejected'
  | 'WebhookTimedOut'
  | 'WebhookAborted'
  | 'WebhookAnswerTooLarge'
  | 'WebhookUnreachable'
  | 'WebhookTLSError'
  | 'WebhookInvalid';

export interface WebhookResult {
  webhook: string;
  type: WebhookType;
  url: string;
  /** True iff the final attempt answered with a status code ≤ 202. */
  succeeded: boolean;
  reason: WebhookOutcomeReason;
  /** Status code of the final attempt, when one was received. */
  statusCode?: number;
  /** Start of the response body (whitespace collapsed, truncated), when one was received. */
  bodySnippet?: string;
  /** Attempts made, including the first. */
  attempts: number;
  /** Human-readable, for events and explanations: `webhook <name> returned 403: <body>`. */
  message: string;
  muteAlert: boolean;
}

export interface WebhookClient {
  /** POST the standard payload; never throws — every failure is described by the result. */
  call(request: WebhookCallRequest): Promise<WebhookResult>;
  /** POST an event payload (metadata carries eventMessage, eventType, timestamp); never throws. */
  sendEvent(request: EventWebhookRequest): Promise<WebhookResult>;
}

/** Normalises a spec `type` ("" or absent = rollout); undefined when it is not one of the eight. */
export function normaliseWebhookType(type: string | undefined): WebhookType | undefined {
  if (type === undefined || type === '') return 'rollout';
  return (WEBHOOK_TYPES as readonly string[]).includes(type) ? (type as WebhookType) : undefined;
}
