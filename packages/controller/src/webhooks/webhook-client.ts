import { setTimeout as pause } from 'node:timers/promises';
import {
  CANARY_DEFAULTS,
  formatDuration,
  MAX_TIMER_MS,
  MAX_WEBHOOK_RETRIES,
  redactUrl,
  tryParseDuration,
} from '@linnet/api';
import { boundedExchange, type ExchangeResult } from '../bounded-http/index.ts';
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
  /** Largest response body read, in bytes (default 64 KiB, the -webhook-max-answer-bytes flag). */
  maxResponseBytes?: number;
}

export const DEFAULT_WEBHOOK_MAX_ANSWER_BYTES = 64 * 1024;
const DEFAULT_BACKOFF: RetryBackoff = { minMs: 1000, maxMs: 30_000 };

/** What one HTTP attempt produced, before it is turned into a WebhookResult. */
type AttemptOutcome =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'aborted' }
  | { kind: 'too-large' }
  | { kind: 'tls'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'invalid'; message: string };

/**
 * A webhook client with Flagger's semantics (success iff status ≤ 202, retries with backoff on connection errors,
 * timeouts, 429 and 5xx) and Linnet's bounds: each attempt has one deadline for the whole exchange, a call with all
 * its attempts and pauses ends within timeout × (retries + 1), retries are capped at MAX_WEBHOOK_RETRIES, answers
 * are capped in size, and the caller's signal ends the call at once.
 */
export function createWebhookClient(options: WebhookClientOptions = {}): WebhookClient {
  return new HttpWebhookClient(options);
}

class HttpWebhookClient implements WebhookClient {
  readonly #backoff: RetryBackoff;
  readonly #snippetLength: number;
  readonly #maxResponseBytes: number;

  constructor(options: WebhookClientOptions) {
    this.#backoff = options.retryBackoff ?? DEFAULT_BACKOFF;
    this.#snippetLength = options.bodySnippetLength ?? 256;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_WEBHOOK_MAX_ANSWER_BYTES;
  }

  async call(request: WebhookCallRequest): Promise<WebhookResult> {
    const type = normaliseWebhookType(request.webhook.type);
    if (type === undefined) {
      const message = `webhook ${request.webhook.name} has unknown type "${request.webhook.type ?? ''}"`;
      return invalidResult(request.webhook, 'rollout', message);
    }
    return this.#post(request.webhook, type, buildWebhookPayload(request, type), request.signal, request.bearerToken);
  }

  async sendEvent(request: EventWebhookRequest): Promise<WebhookResult> {
    return this.#post(request.webhook, 'event', buildEventWebhookPayload(request), request.signal);
  }

  async #post(
    webhook: WebhookDefinition,
    type: WebhookType,
    payload: WebhookPayload,
    signal: AbortSignal | undefined,
    bearerToken?: string,
  ): Promise<WebhookResult> {
    // Flagger treats a timeout shorter than two characters ("", "5") as unset.
    const timeoutText = (webhook.timeout ?? '').length < 2 ? CANARY_DEFAULTS.webhookTimeout : (webhook.timeout ?? '');
    const timeoutMs = tryParseDuration(timeoutText);
    if (timeoutMs === undefined || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) {
      return invalidResult(webhook, type, `webhook ${webhook.name} has an invalid timeout "${timeoutText}"`);
    }
    // Validation refuses more than the cap; the clamp keeps a Canary that skipped validation bounded too.
    const retries = Math.min(MAX_WEBHOOK_RETRIES, Math.max(0, Math.floor(webhook.retries ?? 0)));
    const budgetMs = Math.min(MAX_TIMER_MS, Math.floor(timeoutMs) * (retries + 1));
    const body = JSON.stringify(payload);
    const startedAt = performance.now();
    const elapsed = (): number => performance.now() - startedAt;

    let attempts = 0;
    let last: AttemptOutcome;
    for (;;) {
      attempts += 1;
      const deadlineMs = Math.max(1, Math.min(Math.floor(timeoutMs), Math.ceil(budgetMs - elapsed())));
      last = await this.#attempt(webhook, body, deadlineMs, signal, bearerToken);
      if (attempts > retries || !isRetryable(last)) break;
      const delayMs = Math.min(this.#backoff.maxMs, this.#backoff.minMs * 2 ** (attempts - 1));
      // Another attempt needs time left after the pause; the budget wins over the retry count.
      if (elapsed() + delayMs >= budgetMs) break;
      if (!(await pauseUnlessAborted(delayMs, signal))) {
        last = { kind: 'aborted' };
        break;
      }
    }
    return this.#toResult(webhook, type, last, attempts, timeoutText);
  }

  async #attempt(
    webhook: WebhookDefinition,
    body: string,
    deadlineMs: number,
    signal: AbortSignal | undefined,
    bearerToken: string | undefined,
  ): Promise<AttemptOutcome> {
    const exchange = await boundedExchange({
      method: 'POST',
      url: webhook.url,
      headers: {
        'Content-Type': 'application/json',
        ...(bearerToken !== undefined && { Authorization: `Bearer ${bearerToken}` }),
      },
      body,
      deadlineMs,
      maxBodyBytes: this.#maxResponseBytes,
      signal,
      insecureSkipVerify: webhook.disableTLS === true,
    });
    return attemptOutcome(exchange, deadlineMs);
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
      case 'timeout': {
        // The last attempt can be shorter than the timeout when the call's budget ran out first.
        const after = tryParseDuration(timeoutText) === outcome.afterMs ? timeoutText : formatDuration(outcome.afterMs);
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookTimedOut',
          message: `webhook ${webhook.name} timed out after ${after} (POST ${url})${afterAttempts}`,
        };
      }
      case 'aborted':
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookAborted',
          message: `webhook ${webhook.name} was cancelled before it answered (POST ${url})`,
        };
      case 'too-large':
        return {
          ...base,
          succeeded: false,
          reason: 'WebhookAnswerTooLarge',
          message:
            `webhook ${webhook.name} answered with more than ${this.#maxResponseBytes} bytes (POST ${url}); ` +
            'the limit is the -webhook-max-answer-bytes flag',
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
    case 'aborted':
    case 'too-large':
    case 'tls':
    case 'invalid':
      return false;
  }
}

function attemptOutcome(exchange: ExchangeResult, deadlineMs: number): AttemptOutcome {
  if (exchange.kind === 'response') return { kind: 'response', status: exchange.status, body: exchange.body };
  switch (exchange.reason) {
    case 'TimedOut':
      return { kind: 'timeout', afterMs: deadlineMs };
    case 'Aborted':
      return { kind: 'aborted' };
    case 'BodyTooLarge':
      return { kind: 'too-large' };
    case 'TLSError':
      return { kind: 'tls', message: exchange.message };
    case 'NetworkError':
      return { kind: 'network', message: exchange.message };
    case 'InvalidRequest':
      return { kind: 'invalid', message: exchange.message };
  }
}

/** Waits `ms`; false when the signal aborted the wait. */
async function pauseUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await pause(ms, undefined, signal === undefined ? {} : { signal });
    return true;
  } catch {
    return false;
  }
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
