import type { OptInPolicy } from '@linnet/api';
import type { LogLevel } from '../observability/logger.ts';

/** The controller's configuration, from its command line (Flagger's flag names). */
export interface ControllerOptions {
  /** Path to a kubeconfig; "" = $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig: string;
  /** Prometheus URL for builtin metrics (a Canary's spec.metricsServer overrides it). */
  metricsServer: string;
  /** Watch only these namespaces (-namespace, comma-separated); empty = all namespaces. */
  namespaces: string[];
  /** Pod selector labels looked for on targets, in order. */
  selectorLabels: string[];
  /** Concurrent reconciles (Flagger's -threadiness). */
  workers: number;
  enableLeaderElection: boolean;
  /** Where the leader Lease lives: the flag, else -namespace, else "kube-system" (as Flagger). */
  leaderElectionNamespace: string;
  logLevel: LogLevel;
  /** Port of /healthz, /readyz and /metrics. */
  port: number;
  /** Track ConfigMaps/Secrets referenced by the target (copy to -primary, include in change detection). */
  enableConfigTracking: boolean;
  /** Added to alerts as "Cluster". */
  clusterName: string;
  /** URL that receives every event as a webhook (env EVENT_WEBHOOK_URL overrides). */
  eventWebhook: string;
  /** Label prefixes copied from the target to generated objects; "*" = all. */
  includeLabelPrefix: string[];
  /** Only "istio" is supported; kept for flagger_info and Flagger-compatible command lines. */
  meshProvider: string;
  /**
   * Floor of analysis intervals (Flagger: 10 s). Lower it only for tests and demos that use intervals such as
   * 2s–5s; metric windows must still span at least two Prometheus scrapes.
   */
  minAnalysisIntervalMs: number;
  /** Largest Prometheus answer read, in bytes; a bigger one fails the check with MetricQueryAnswerTooLarge. */
  prometheusMaxAnswerBytes: number;
  /** Largest webhook answer read, in bytes; a bigger one fails the call with WebhookAnswerTooLarge. */
  webhookMaxAnswerBytes: number;
  /** What opt-in annotations may reach: gateways, hosts, webhook URLs, metrics servers (-opt-in-allowed-*). */
  optInPolicy: OptInPolicy;
  /** Leader election timings (client-go's): lease duration, renew deadline, retry period. */
  leaderElectionLeaseDurationMs: number;
  leaderElectionRenewDeadlineMs: number;
  leaderElectionRetryPeriodMs: number;
  /** The global alert provider (Flagger's flags; env SLACK_URL etc. win): used by Canaries without alerts. */
  slackUrl: string;
  slackToken: string;
  slackProxyUrl: string;
  slackUser: string;
  slackChannel: string;
  /** When set, the global provider is MS Teams (as in Flagger), and the Slack settings are unused. */
  msteamsUrl: string;
  msteamsProxyUrl: string;
  /** Deadline of one attempt to post an alert (-alert-timeout, Linnet's own). */
  alertTimeoutMs: number;
  /** Flagger flags given a value that Linnet accepts without effect (logged at start-up). */
  acceptedWithoutEffect: string[];
  /** Image of the private test loader created for a workload whose opt-in asks for load tests. */
  testLoaderImage: string;
}
