// Which alert goes where (reference §8.3): a Canary with `analysis.alerts` sends each alert to the AlertProviders
// whose severity filter lets it through; a Canary without any uses the global provider of the flags, if set.
import { CANARY_DEFAULTS, effectiveAnalysis } from '@linnet/api';
import type { CanaryAlertMessage } from '@linnet/core';
import type { CanaryResource } from '../reconcile/cluster-types.ts';
import { receivesSeverity, type AlertDestination, type AlertNotice, type AlertSeverity } from './alert-notice.ts';

/** An AlertProvider is read (with its Secret) when the alert is sent, so a fix to either applies at once. */
export type AlertRoute =
  { kind: 'provider'; namespace: string; name: string } | { kind: 'global'; destination: AlertDestination };

export interface AlertJob {
  route: AlertRoute;
  notice: AlertNotice;
}

export interface AlertRoutingOptions {
  /** -cluster-name: shown first as the "Cluster" field. */
  clusterName: string;
  /** From -slack-url / -msteams-url; used only by Canaries without `analysis.alerts`. */
  globalDestination?: AlertDestination | undefined;
}

/** A decision's explanation that would only repeat the alert, or say nothing, is left out of the text. */
const UNINFORMATIVE_EXPLANATIONS = new Set(['', 'Nothing to do']);

export function routeAlerts(
  canary: CanaryResource,
  alerts: readonly CanaryAlertMessage[],
  explanation: string,
  options: AlertRoutingOptions,
): AlertJob[] {
  const namespace = canary.metadata?.namespace ?? '';
  const subscriptions = effectiveAnalysis(canary.spec)?.alerts ?? [];
  const jobs: AlertJob[] = [];
  for (const alert of alerts) {
    const notice = noticeOf(canary, alert, explanation, options.clusterName);
    if (subscriptions.length === 0) {
      if (options.globalDestination)
        jobs.push({ route: { kind: 'global', destination: options.globalDestination }, notice });
      continue;
    }
    for (const subscription of subscriptions) {
      const subscribed: AlertSeverity = subscription.severity || CANARY_DEFAULTS.alertSeverity;
      if (!receivesSeverity(subscribed, alert.severity)) continue;
      const route = {
        kind: 'provider' as const,
        namespace: subscription.providerRef.namespace || namespace,
        name: subscription.providerRef.name,
      };
      jobs.push({ route, notice });
    }
  }
  return jobs;
}

/** "<namespace>/<name>" of an AlertProvider, or "flags/<type>": the provider's name in logs and metrics. */
export function routeName(route: AlertRoute): string {
  return route.kind === 'provider' ? `${route.namespace}/${route.name}` : route.destination.provider;
}

function noticeOf(
  canary: CanaryResource,
  alert: CanaryAlertMessage,
  explanation: string,
  clusterName: string,
): AlertNotice {
  const addsSomething = !UNINFORMATIVE_EXPLANATIONS.has(explanation) && !alert.message.includes(explanation);
  return {
    canary: { name: canary.metadata?.name ?? '', namespace: canary.metadata?.namespace ?? '' },
    severity: alert.severity,
    text: addsSomething ? `${alert.message}\n${explanation}` : alert.message,
    fields: [...(clusterName ? [{ title: 'Cluster', value: clusterName }] : []), ...alert.fields],
  };
}
