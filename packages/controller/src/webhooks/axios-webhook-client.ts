import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import pRetry from 'p-retry';
import { CANARY_DEFAULTS, tryParseDuration } from '@linnet/api';
import { buildEventWebhookPayload, buildWebhookPayload } from './webhook-payload.ts';
import {
  normaliseWebhookType,
  type EventWebhookRequest,
  type WebhookCallRequest,
  type WebhookClient,
  type WebhookDefinition,
  type WebhookPayload,
  type WebhookResult,
  type WebhookType,
} from './webhook-types.ts';

export interface RetryBackoff {
  minMs: number;
  maxMs: number;
}

export interface WebhookClientOptions {
  /** Delay before the first retry, doubling up to maxMs. Flagger's retryablehttp uses 1 s … 30 s (the default). */
  retryBackoff?: RetryBackoff;
  /** Characters of the response body kept on results (default 256). */
  bodySnippetLength?: number;
  /** Largest response body read, in bytes (default 4 MiB); bigger answers fail the call. */
  maxResponseBytes?: number;
}

const DEFAULT_BACKOFF: RetryBackoff = { minMs: 1000, maxMs: 30_000 };

/** What one HTTP attempt produced, before it is turned into a WebhookResult. */
type AttemptOutcome =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'timeout' }
  | { kind: 'tls'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'invalid'; message: string };

/** Thrown inside p-retry to ask for another attempt; carries nothing, the outcome is kept by the caller. */
class RetryableAttempt extends Error {}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A webhook client with Flagger's semantics: success iff status ≤ 202, per-attempt timeout, retries with backoff. */
export function createWebhookClient(options: WebhookClientOptions = {}): WebhookClient {
  return new AxiosWebhookClient(options);
}

class AxiosWebhookClient implements WebhookClient {
  readonly #http: AxiosInstance;
  readonly #insecureAgent = new HttpsAgent({ rejectUnauthorized: false });
  readonly #backoff: RetryBackoff;
  readonly #snippetLength: number;

  constructor(options: WebhookClientOptions) {
    this.#backoff = options.retryBackoff ?? DEFAULT_BACKOFF;
    this.#snippetLength = options.bodySnippetLength ?? 256;
    this.#http = axios.create({
      // Status codes are judged here (≤ 202), never by axios; bodies are kept as text for the explanation.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      maxContentLength: options.maxResponseBytes ?? 4 * 1024 * 1024,
      headers: { 'Content-Type': 'application/json' },
    });
  }

  async call(request: WebhookCallRequest): Promise<WebhookResult> {
    const type = normaliseWebhookType(request.webhook.type);
    if (type === undefined) {
      const message = `webhook ${request.webhook.name} has unknown type "${request.webhook.type ?? ''}"`;
      return invalidResult(request.webhook, 'rollout', message);
    }
    return this.#post(request.webhook, type, buildWebhookPayload(request, type), request.bearerToken);
  }

  async sendEvent(request: EventWebhookRequest): Promise<WebhookResult> {
    return this.#post(request.webhook, 'event', buildEventWebhookPayload(request));
  }

  async #post(
    webhook: WebhookDefinition,
    type: WebhookType,
    payload: WebhookPayload,
    bearerToken?: string,
  ): Promise<WebhookResult> {
    // Flagger treats a timeout shorter than two characters ("", "5") as unset.
    const timeoutText = (webhook.timeout ?? '').length < 2 ? CANARY_DEFAULTS.webhookTimeout : (webhook.timeout ?? '');
    const timeoutMs = tryParseDuration(timeoutText);
    if (timeoutMs === undefined || timeoutMs <= 0) {
      return invalidResult(webhook, type, `webhook ${webhook.name} has an invalid timeout "${timeoutText}"`);
    }
    const retries = Math.max(0, Math.floor(webhook.retries ?? 0));

    let attempts = 0;
    let last: AttemptOutcome = { kind: 'invalid', message: 'no attempt made' };
    try {
      await pRetry(
        async () => {
          attempts += 1;
          last = await this.#attempt(webhook, payload, timeoutMs, bearerToken);
          if (isRetryable(last)) throw new RetryableAttempt();
        },
        {
          retries,
          factor: 2,
          minTimeout: this.#backoff.minMs,
          maxTimeout: this.#backoff.maxMs,
          randomize: false,
          shouldRetry: ({ error }) => error instanceof RetryableAttempt,
        },
      );
    } catch (error) {
      // Exhausted retries end here with the last outcome already recorded; anything else is unexpected.
      if (!(error instanceof RetryableAttempt)) {
        last = { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
      }
    }
    return this.#toResult(webhook, type, last, attempts, timeoutText);
  }

  async #attempt(
    webhook: WebhookDefinition,
    payload: WebhookPayload,
    timeoutMs: number,
    bearerToken: string | undefined,
  ): Promise<AttemptOutcome> {
    // One deadline for the whole exchange (connect, headers and body), unlike a socket idle timeout.
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.#http.post<string>(webhook.url, JSON.stringify(payload), {
        signal,
        httpsAgent: webhook.disableTLS === true ? this.#insecureAgent : undefined,
        ...(bearerToken !== undefined && { headers: { Authorization: `Bearer ${bearerToken}` } }),
      });
      const body = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
      return { kind: 'response', status: response.status, body };
    } catch (error) {
      if (signal.aborted) return { kind: 'timeout' };
      return classifyRequestError(error);
    }
  }

  #toResult(
    webhook: WebhookDefinition,
    type: WebhookType,
    outcome: AttemptOutcome,
    attempts: number,
    timeoutText: string,
  ): WebhookResult {
    const base = {
      webhook: webhook.name,
      type,
      url: webhook.url,
      attempts,
      muteAlert: webhook.muteAlert === true,
    };
    const afterAttempts = attempts > 1 ? ` after ${attempts} attempts` : '';
    const url = redactUrl(webhook.url);
    switch (outcome.kind) {
      case 'response': {
        const bodySnippet = snippet(outcome.body, this.#snippetLength);
        if (outcome.status <= 202) {
          return {
            ...base,
            succeeded: true,
            reason: 'WebhookSucceeded',
            statusCode: outcome.status,
            bodySnippet,
            message: `webhook ${webhook.name} returned ${outcome.status}`,
          };
        }
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookRejected',
          statusCode: outcome.status,
          bodySnippet,
          message: `webhook ${webhook.name} returned ${outcome.status}${afterAttempts}: ${bodySnippet || '(empty body)'}`,
        };
      }
      case 'timeout':
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookTimedOut',
          message: `webhook ${webhook.name} timed out after ${timeoutText} (POST ${url})${afterAttempts}`,
        };
      case 'tls':
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookTLSError',
          message: `webhook ${webhook.name} failed TLS verification of ${url}: ${outcome.message} (disableTLS skips verification)`,
        };
      case 'network':
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookUnreachable',
          message: `webhook ${webhook.name} could not reach ${url}${afterAttempts}: ${outcome.message}`,
        };
      case 'invalid':
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookInvalid',
          message: `webhook ${webhook.name}: ${outcome.message}`,
        };
    }
  }
}

/** Mirrors retryablehttp's default policy: connection errors, timeouts, 429 and 5xx except 501. */
function isRetryable(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'timeout':
    case 'network':
      return true;
    case 'response':
      return outcome.status === 429 || (outcome.status >= 500 && outcome.status !== 501);
    case 'tls':
    case 'invalid':
      return false;
  }
}

function classifyRequestError(error: unknown): AttemptOutcome {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && TLS_ERROR_CODES.has(code)) return { kind: 'tls', message };
  if (code === 'ERR_INVALID_URL' || code === 'ERR_BAD_OPTION_VALUE' || error instanceof TypeError) {
    return { kind: 'invalid', message };
  }
  if (code === 'ERR_BAD_RESPONSE' && message.includes('maxContentLength')) return { kind: 'invalid', message };
  return { kind: 'network', message: code !== undefined && !message.includes(code) ? `${code}: ${message}` : message };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function invalidResult(webhook: WebhookDefinition, type: WebhookType, message: string): WebhookResult {
  return {
    webhook: webhook.name,
    type,
    url: webhook.url,
    succeeded: false,
    reason: 'WebhookInvalid',
    attempts: 0,
    message,
    muteAlert: webhook.muteAlert === true,
  };
}

function snippet(body: string, maxLength: number): string {
  const collapsed = body.replace(/\s+/g, ' ').trim();
  return collapsed.length > maxLength ? `${collapsed.slice(0, maxLength)}…` : collapsed;
}

/** Credentials in a hook URL must not end up in events or logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
