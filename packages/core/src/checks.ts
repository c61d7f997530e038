// The checks the core asks the shell to run (webhook calls, metric queries) and the results the shell feeds back.
import type { CanaryPhase, DefaultedCanaryMetric, DefaultedCanaryWebhook } from '@linnet/api';

/** Body POSTed to a webhook (Flagger's CanaryWebhookPayload). */
export interface WebhookPayload {
  readonly name: string;
  readonly namespace: string;
  readonly phase: CanaryPhase;
  readonly checksum: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export type HookType = DefaultedCanaryWebhook['type'];

export interface PlannedWebhookCall {
  readonly kind: 'webhook';
  /** Stable id of the check within the Canary: "webhooks[<index in spec>]". */
  readonly id: string;
  readonly hookType: HookType;
  readonly webhook: DefaultedCanaryWebhook;
  readonly payload: WebhookPayload;
}

/** Where a metric's value comes from (reference §6): a MetricTemplate, an inline query, or a built-in query. */
export type MetricSource = 'template' | 'query' | 'builtin';

export interface PlannedMetricQuery {
  readonly kind: 'metric';
  /** "metrics[<index in spec>]". */
  readonly id: string;
  readonly metric: DefaultedCanaryMetric;
  readonly source: MetricSource;
}

export type PlannedCheck = PlannedWebhookCall | PlannedMetricQuery;

export type CheckBatchPurpose =
  | 'rollback'
  | 'confirm-rollout'
  | 'pre-rollout'
  | 'rollout'
  | 'metrics'
  | 'confirm-traffic-increase'
  | 'confirm-promotion';

/**
 * One batch of checks. The shell runs them in order and stops after the first webhook call that ends the batch:
 * `first-failure` (hooks and gates), `first-success` (rollback hooks: the first one that answers ok wins) or
 * `all` (metric queries; the core judges their values).
 */
export interface CheckBatch {
  readonly purpose: CheckBatchPurpose;
  readonly checks: readonly PlannedCheck[];
  readonly runUntil: 'first-failure' | 'first-success' | 'all';
}

export interface WebhookCallResult {
  readonly kind: 'webhook';
  readonly id: string;
  /** HTTP status ≤ 202 (Flagger's success rule). */
  readonly ok: boolean;
  /** Error text or response body when not ok. */
  readonly message?: string;
}

export type MetricQueryOutcome =
  /** Every series' value of an instant-vector result (empty = no data). */
  | { readonly type: 'values'; readonly values: readonly number[] }
  /** The query could not run or returned something other than a vector. */
  | { readonly type: 'error'; readonly message: string };

export interface MetricQueryResult {
  readonly kind: 'metric';
  readonly id: string;
  /** Provider that answered, for messages: the mesh observer ("istio") or the template's provider type. */
  readonly provider: string;
  readonly outcome: MetricQueryOutcome;
}

export type CheckResult = WebhookCallResult | MetricQueryResult;
