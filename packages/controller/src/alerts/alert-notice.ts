// What one alert says, independent of the chat service it goes to.
import type { AlertProviderType } from '@linnet/api';
import type { AlertField, CanaryAlertMessage } from '@linnet/core';

export type AlertSeverity = CanaryAlertMessage['severity'];

export interface AlertNotice {
  /** The Canary's name and namespace (shown as "<name>.<namespace>", as Flagger does). */
  canary: { name: string; namespace: string };
  severity: AlertSeverity;
  /** Flagger's alert text, followed by Linnet's explanation of the decision when it adds something. */
  text: string;
  fields: readonly AlertField[];
}

/** Where and as whom an alert is posted: an AlertProvider resolved with its Secret, or the global flags. */
export interface AlertDestination {
  /** Label and log name: "<namespace>/<name>" of the AlertProvider, or "flags/slack" / "flags/msteams". */
  provider: string;
  type: AlertProviderType;
  url: string;
  proxy?: string;
  /** Slack bot token, sent as a Bearer token. */
  token?: string;
  username: string;
  channel: string;
}

const RANK: Record<AlertSeverity, number> = { info: 0, warn: 1, error: 2 };

/**
 * Flagger's filter: a subscription at `info` receives everything, `warn` receives warn and error, `error` only
 * errors. (An empty severity defaults to info when the Canary is read; Flagger sent nothing then.)
 */
export function receivesSeverity(subscribed: AlertSeverity, severity: AlertSeverity): boolean {
  return RANK[severity] >= RANK[subscribed];
}
