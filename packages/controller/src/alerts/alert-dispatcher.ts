// Delivers alerts outside the reconcile: a bounded queue per provider (in order, so a chat reads like the rollout,
// and a provider that hangs holds up only its own alerts), a deadline per attempt, capped retries with backoff,
// one count per alert in linnet_alerts_total{provider,result}, and logs that name the provider but never its URL or
// token.
import { setTimeout as pause } from 'node:timers/promises';
import type { Logger } from '../observability/index.ts';
import { alertPayload, alertUrl } from './alert-payloads.ts';
import { AlertProviderProblem } from './alert-destinations.ts';
import type { AlertDestination } from './alert-notice.ts';
import { routeName, type AlertJob, type AlertRoute } from './alert-routing.ts';
import type { ExchangeResult } from '../bounded-http/index.ts';
import type { PostAlert } from './post-alert.ts';

export type AlertResult = 'sent' | 'failed' | 'invalid' | 'dropped';

export interface AlertDispatcherOptions {
  /** The destination of a route; throws AlertProviderProblem when the provider cannot be used. */
  resolve(route: AlertRoute): Promise<AlertDestination>;
  post: PostAlert;
  /** Counts linnet_alerts_total. */
  onResult(provider: string, result: AlertResult): void;
  /**
   * Alerts waiting for one provider, beyond which its new ones are dropped. Per provider, so one that hangs cannot
   * crowd out the others. Default 100.
   */
  capacity?: number;
  /** Deadline of one attempt (Flagger: 5 s). */
  attemptTimeoutMs?: number;
  /** Attempts after the first, on timeouts, connection errors, 429 and 5xx. Default 2. */
  retries?: number;
  /** Delay before the first retry, doubling after each. Default 1 s. */
  retryDelayMs?: number;
  /** How long a graceful shutdown waits for alerts still queued before abandoning them. Default 5 s. */
  drainTimeoutMs?: number;
}

/** Where the outcome of one alert is reported: the Canary's logger, and its events for an unusable provider. */
export interface AlertReporting {
  logger: Logger;
  /** Called with the reason and the problem (naming the provider, never its URL or token). */
  onProviderProblem?(reason: string, message: string): void;
}

interface QueuedAlert {
  job: AlertJob;
  reporting: AlertReporting;
}

export class AlertDispatcher {
  private readonly options: Required<AlertDispatcherOptions>;
  private readonly queues = new Map<string, QueuedAlert[]>();
  private readonly running = new Map<string, Promise<void>>();
  // Aborted when a shutdown stops waiting: sends in flight end at once, retries and queued alerts are dropped.
  private readonly abandon = new AbortController();

  constructor(options: AlertDispatcherOptions) {
    this.options = {
      capacity: 100,
      attemptTimeoutMs: 5_000,
      retries: 2,
      retryDelayMs: 1_000,
      drainTimeoutMs: 5_000,
      ...options,
    };
  }

  /** Queues an alert and returns at once; a full queue drops it (counted and logged). */
  enqueue(job: AlertJob, reporting: AlertReporting): void {
    const { logger } = reporting;
    const provider = routeName(job.route);
    const queue = this.queues.get(provider) ?? [];
    if (queue.length >= this.options.capacity) {
      this.options.onResult(provider, 'dropped');
      logger.warn('alert dropped: the queue of its provider is full', { provider, capacity: this.options.capacity });
      return;
    }
    queue.push({ job, reporting });
    this.queues.set(provider, queue);
    if (!this.running.has(provider)) this.running.set(provider, this.deliverQueued(provider));
  }

  /**
   * Graceful shutdown: waits for the queued alerts up to the drain timeout, then abandons the rest (counted as
   * dropped), so a receiver that hangs cannot hold the shutdown.
   */
  async drain(): Promise<void> {
    const timer = setTimeout(() => this.abandon.abort(), this.options.drainTimeoutMs);
    try {
      while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async deliverQueued(provider: string): Promise<void> {
    try {
      for (let next = this.queues.get(provider)?.shift(); next; next = this.queues.get(provider)?.shift()) {
        const result = this.abandon.signal.aborted ? 'dropped' : await this.deliver(next);
        this.options.onResult(provider, result);
      }
    } finally {
      // In the same turn as the shift that found the queue empty: an alert queued from now on starts a new loop.
      this.queues.delete(provider);
      this.running.delete(provider);
    }
  }

  private async deliver({ job, reporting }: QueuedAlert): Promise<AlertResult> {
    const { logger } = reporting;
    const provider = routeName(job.route);
    let destination: AlertDestination;
    try {
      destination = await this.options.resolve(job.route);
    } catch (error) {
      const reason = error instanceof AlertProviderProblem ? error.reason : 'AlertProviderUnreadable';
      const message = error instanceof Error ? error.message : String(error);
      logger.warn('alert not sent: the alert provider cannot be used', { provider, reason, error: message });
      reporting.onProviderProblem?.(reason, `alert not sent: ${message}`);
      return 'invalid';
    }
    const body = alertPayload(destination.type, job.notice, destination);
    const context = { provider, type: destination.type, severity: job.notice.severity };
    let outcome: ExchangeResult;
    let attempts = 0;
    for (;;) {
      attempts++;
      outcome = await this.options.post({
        url: alertUrl(destination.type, destination.url),
        proxy: destination.proxy,
        token: destination.token,
        body,
        timeoutMs: this.options.attemptTimeoutMs,
        signal: this.abandon.signal,
      });
      if (isDelivered(outcome)) {
        logger.info('alert sent', { ...context, attempts });
        return 'sent';
      }
      if (!isRetryable(outcome) || attempts > this.options.retries || this.abandon.signal.aborted) break;
      const backoffMs = this.options.retryDelayMs * 2 ** (attempts - 1);
      // A shutdown that abandons the alerts ends the pause at once (its rejection only says so).
      await pause(backoffMs, undefined, { signal: this.abandon.signal }).catch(() => undefined);
    }
    if (this.abandon.signal.aborted) {
      logger.warn('alert abandoned: shutting down', { ...context, attempts });
      return 'dropped';
    }
    logger.warn('alert not delivered', { ...context, attempts, ...describeOutcome(outcome) });
    return 'failed';
  }
}

function isDelivered(outcome: ExchangeResult): boolean {
  return outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;
}

/** Timeouts, connection errors, 429 and 5xx may pass on a second try; a refusal or a bad request will not. */
function isRetryable(outcome: ExchangeResult): boolean {
  if (outcome.kind === 'response') return outcome.status === 429 || outcome.status >= 500;
  return outcome.reason === 'TimedOut' || outcome.reason === 'NetworkError';
}

/** The exchange's messages never contain the URL; the answer's body is left out (it may echo the request). */
function describeOutcome(outcome: ExchangeResult): Record<string, string | number> {
  if (outcome.kind === 'response') return { reason: 'AlertRejected', statusCode: outcome.status };
  return {
    reason: `Alert${outcome.reason}`,
    error: outcome.message,
    ...(outcome.code !== undefined && { code: outcome.code }),
  };
}
