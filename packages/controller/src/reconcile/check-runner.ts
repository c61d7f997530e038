// Runs one check the core plans: a webhook call through the webhook client, a metric query through
// planMetricQueries and a Prometheus provider. Every failure becomes a result the core judges, never a throw.
import type {
  CheckResult,
  MetricQueryOutcome,
  PlannedCheck,
  PlannedMetricQuery,
  PlannedWebhookCall,
} from '@linnet/core';
import {
  builtinProviderConfig,
  createPrometheusProvider,
  planMetricQueries,
  type MetricQueryPlan,
  type MetricQueryResult,
  type MetricsProvider,
  type PrometheusLimits,
  type PrometheusProviderConfig,
} from '../metrics-providers/index.ts';
import type { WebhookClient } from '../webhooks/index.ts';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import type { ClusterView } from './cluster-view.ts';

/** How long a Prometheus client no check used is kept before it is dropped. */
const PROVIDER_IDLE_MS = 10 * 60_000;

/**
 * One Prometheus client per distinct connection, shared by all canaries. Clients unused for PROVIDER_IDLE_MS are
 * dropped, so addresses and credentials of deleted Canaries or rotated Secrets do not accumulate.
 */
export class MetricsProviderPool {
  private readonly providers = new Map<string, { provider: MetricsProvider; lastUsedMs: number }>();
  private readonly limits: PrometheusLimits;
  private readonly nowMs: () => number;

  constructor(limits: PrometheusLimits = {}, nowMs: () => number = () => performance.now()) {
    this.limits = limits;
    this.nowMs = nowMs;
  }

  providerFor(config: PrometheusProviderConfig): MetricsProvider {
    const nowMs = this.nowMs();
    for (const [key, entry] of this.providers) {
      if (nowMs - entry.lastUsedMs > PROVIDER_IDLE_MS) this.providers.delete(key);
    }
    const key = JSON.stringify(config);
    const entry = this.providers.get(key) ?? {
      provider: createPrometheusProvider(config, this.limits),
      lastUsedMs: nowMs,
    };
    entry.lastUsedMs = nowMs;
    this.providers.set(key, entry);
    return entry.provider;
  }

  get size(): number {
    return this.providers.size;
  }
}

export interface CheckRunnerDeps {
  webhookClient: WebhookClient;
  metricsProviders: MetricsProviderPool;
  view: ClusterView;
  /** The -metrics-server flag. */
  defaultMetricsServer: string;
  /** Called with every metric value the analysis judged (flagger_canary_metric_analysis). */
  onMetricValue?(metric: string, value: number): void;
}

/** Runs one check of `canary`; `signal` cancels it. */
export type CanaryCheck = (check: PlannedCheck, signal: AbortSignal) => Promise<CheckResult>;

/** The checks of one Canary, as it was read when its batch started. */
export function canaryCheck(canary: CanaryResource, deps: CheckRunnerDeps): CanaryCheck {
  return async (check, signal) =>
    check.kind === 'webhook' ? callWebhook(check, deps, signal) : runMetricQuery(canary, check, deps, signal);
}

async function callWebhook(
  check: PlannedWebhookCall,
  deps: CheckRunnerDeps,
  signal: AbortSignal,
): Promise<CheckResult> {
  const { payload } = check;
  const result = await deps.webhookClient.call({
    webhook: check.webhook,
    canary: { name: payload.name, namespace: payload.namespace },
    phase: payload.phase,
    checksum: payload.checksum,
    signal,
  });
  return {
    kind: 'webhook',
    id: check.id,
    ok: result.succeeded,
    ...(!result.succeeded && { message: result.message }),
  };
}

async function runMetricQuery(
  canary: CanaryResource,
  check: PlannedMetricQuery,
  deps: CheckRunnerDeps,
  signal: AbortSignal,
): Promise<CheckResult> {
  let plan: { query: string; provider: PrometheusProviderConfig; providerName: string };
  try {
    plan = queryPlanFor(canary, check, deps);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'metric', id: check.id, provider: 'prometheus', outcome: { type: 'error', message } };
  }
  const result = await deps.metricsProviders.providerFor(plan.provider).query(plan.query, { signal });
  const outcome = outcomeOf(result);
  // A cancelled check's value is discarded, and its Canary's series may already be forgotten.
  if (signal.aborted) return { kind: 'metric', id: check.id, provider: plan.providerName, outcome };
  if (outcome.type === 'values' && outcome.values.length === 1 && Number.isFinite(outcome.values[0])) {
    const value = outcome.values[0] ?? 0;
    // Flagger records request durations in seconds in flagger_canary_metric_analysis.
    const recorded = check.source === 'builtin' && check.metric.name === 'request-duration' ? value / 1000 : value;
    deps.onMetricValue?.(check.metric.name, recorded);
  }
  return { kind: 'metric', id: check.id, provider: plan.providerName, outcome };
}

/**
 * The query and connection of one metric, by the core's source: a template (planMetricQueries renders it with its
 * provider and credentials), an inline query (runs as written against the metrics server), or a built-in name
 * (Flagger's Istio query).
 */
function queryPlanFor(
  canary: CanaryResource,
  check: PlannedMetricQuery,
  deps: CheckRunnerDeps,
): { query: string; provider: PrometheusProviderConfig; providerName: string } {
  const { metric, source } = check;
  const namespace = canary.metadata?.namespace ?? '';
  if (source === 'query') {
    return {
      query: metric.query ?? '',
      provider: builtinProviderConfig(canary.spec, deps.defaultMetricsServer),
      providerName: 'prometheus',
    };
  }
  const templateRef = metric.templateRef;
  const templateNamespace = templateRef?.namespace ?? namespace;
  const template =
    source === 'template' && templateRef
      ? deps.view.get(clusterTypes.metricTemplate, templateNamespace, templateRef.name)
      : undefined;
  const secretName = template?.spec.provider.secretRef?.name;
  const plans = planMetricQueries({
    canary: { metadata: { name: canary.metadata?.name, namespace }, spec: canary.spec },
    // A template metric is planned without its built-in name so only the template's query is returned.
    metric: source === 'template' ? { ...metric, query: undefined } : { ...metric, templateRef: undefined },
    template: template && { metadata: template.metadata ?? {}, spec: template.spec },
    templateSecret: secretName ? deps.view.get(clusterTypes.secret, templateNamespace, secretName) : undefined,
    defaultAddress: deps.defaultMetricsServer,
  });
  const wanted: MetricQueryPlan['source'] = source === 'template' ? 'template' : 'builtin';
  const plan = plans.find((candidate) => candidate.source === wanted);
  if (!plan) throw new Error(`metric ${metric.name} has no ${wanted} query`);
  return {
    query: plan.query,
    provider: plan.provider,
    providerName: source === 'template' ? (template?.spec.provider.type ?? 'prometheus') : 'istio',
  };
}

function outcomeOf(result: MetricQueryResult): MetricQueryOutcome {
  switch (result.kind) {
    case 'value':
      return { type: 'values', values: [result.value] };
    case 'no-values':
      return { type: 'values', values: [] };
    case 'multiple-series':
      return { type: 'values', values: result.series.map((series) => series.value) };
    case 'error':
      return { type: 'error', message: result.message };
  }
}
