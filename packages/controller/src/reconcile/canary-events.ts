// Publishes a decision's events: as Kubernetes events on the Canary (reason = the core's machine reason), as log
// lines, and to event webhooks (the Canary's `event` hooks, else the -event-webhook flag); and hands its alerts to
// the alert dispatcher, which delivers them to chat services outside the reconcile.
import { effectiveAnalysis } from '@linnet/api';
import type { CanaryAlertMessage, CanaryEvent } from '@linnet/core';
import { webhookChecksum } from '@linnet/core';
import { routeAlerts, type AlertDispatcher, type AlertRoutingOptions } from '../alerts/index.ts';
import { RepeatFilter, type EventRecorder } from '../kube/index.ts';
import { describeError, type Logger } from '../observability/index.ts';
import type { WebhookClient, WebhookDefinition } from '../webhooks/index.ts';
import type { CanaryResource } from './cluster-types.ts';

export interface CanaryEventPublisherOptions {
  recorder: EventRecorder;
  webhookClient: WebhookClient;
  /** The -event-webhook flag (or EVENT_WEBHOOK_URL); "" = none. */
  globalEventWebhook: string;
  /** Where alerts go; without it alerts are only logged. */
  alerts?: { dispatcher: AlertDispatcher; routing: AlertRoutingOptions };
  now?: () => Date;
}

export class CanaryEventPublisher {
  private readonly options: CanaryEventPublisherOptions;
  private readonly inFlight = new Set<Promise<unknown>>();
  // An event repeated within moments (e.g. by reconciles that race a deletion) is published once.
  private readonly repeats: RepeatFilter;

  constructor(options: CanaryEventPublisherOptions) {
    this.options = options;
    this.repeats = new RepeatFilter({ now: () => (options.now?.() ?? new Date()).getTime() });
  }

  /**
   * Records the events in order: logs them, and hands them to the recorder (which writes Kubernetes Events in the
   * background, in order per Canary) and to the event webhooks (sent in the background, so a slow receiver cannot
   * hold up the rollout).
   */
  async publish(canary: CanaryResource, events: readonly CanaryEvent[], logger: Logger): Promise<void> {
    for (const event of events) {
      const subject = canary.metadata?.uid ?? `${canary.metadata?.namespace ?? ''}/${canary.metadata?.name ?? ''}`;
      if (this.repeats.isRepeat([subject, event.type, event.reason, event.message].join('\u0000'))) continue;
      const log = event.type === 'Warning' ? logger.warn.bind(logger) : logger.info.bind(logger);
      log(event.message, { event: event.reason, eventType: event.type });
      try {
        await this.options.recorder.record(canary, { type: event.type, reason: event.reason, message: event.message });
      } catch (error) {
        logger.warn('could not record event', { event: event.reason, ...describeError(error) });
      }
      this.sendToEventWebhooks(canary, event, logger);
    }
  }

  /**
   * Logs the alerts and queues them for their AlertProviders (or the global provider of the flags); returns at
   * once. `explanation` (the decision's) is added to the alert text when it says more than the alert.
   */
  sendAlerts(canary: CanaryResource, alerts: readonly CanaryAlertMessage[], explanation: string, logger: Logger): void {
    for (const alert of alerts) {
      const fields = Object.fromEntries(alert.fields.map((field) => [field.title, field.value]));
      logger.info('alert', { alert: alert.message, severity: alert.severity, fields });
    }
    const delivery = this.options.alerts;
    if (!delivery || alerts.length === 0) return;
    // An unusable provider is also told on the Canary, where `kubectl describe` shows it.
    const onProviderProblem = (reason: string, message: string): void =>
      void this.publish(canary, [{ type: 'Warning', reason, message }], logger);
    for (const job of routeAlerts(canary, alerts, explanation, delivery.routing)) {
      delivery.dispatcher.enqueue(job, { logger, onProviderProblem });
    }
  }

  /** Waits for event webhooks and alerts still being sent (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight, this.options.alerts?.dispatcher.drain()]);
  }

  private sendToEventWebhooks(canary: CanaryResource, event: CanaryEvent, logger: Logger): void {
    const hooks = this.eventHooksOf(canary);
    if (hooks.length === 0) return;
    const status = canary.status ?? {};
    const request = {
      canary: { name: canary.metadata?.name ?? '', namespace: canary.metadata?.namespace ?? '' },
      phase: status.phase ?? '',
      checksum: webhookChecksum(status),
      event: {
        message: event.message,
        eventType: event.type,
        timestampMs: (this.options.now?.() ?? new Date()).getTime(),
      },
    };
    for (const webhook of hooks) {
      const sending = this.options.webhookClient.sendEvent({ ...request, webhook }).then((result) => {
        if (!result.succeeded) logger.warn('event webhook failed', { webhook: webhook.name, error: result.message });
      });
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
    }
  }

  private eventHooksOf(canary: CanaryResource): WebhookDefinition[] {
    const own = effectiveAnalysis(canary.spec)?.webhooks?.filter((hook) => hook.type === 'event');
    if (own && own.length > 0) return own;
    const url = this.options.globalEventWebhook;
    return url ? [{ name: 'event-webhook', url, type: 'event' }] : [];
  }
}
