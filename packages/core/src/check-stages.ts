// The ordered stages of checks behind one step of a run, and how the results gathered so far settle them.
// plan() and decide() both walk the same stages, so the shell is asked for exactly what the decision will read.
import type { CanaryPhase, DefaultedCanaryAnalysis } from '@linnet/api';
import type {
  CheckBatch,
  CheckBatchPurpose,
  CheckResult,
  HookType,
  PlannedMetricQuery,
  PlannedWebhookCall,
} from './checks.ts';
import type { MetricCheckResult } from '@linnet/api';
import { judgeMetric, metricSource, type MetricContext, type MetricJudgement } from './metric-judgement.ts';
import { messages } from './messages.ts';
import type { CanaryIdentity } from './observation.ts';
import { webhookCalls } from './webhook-calls.ts';

type WebhookPurpose = Exclude<CheckBatchPurpose, 'metrics'>;

export type CheckStage =
  | { readonly purpose: WebhookPurpose; readonly calls: readonly PlannedWebhookCall[] }
  | { readonly purpose: 'metrics'; readonly metrics: readonly MetricSlot[] };

interface MetricSlot {
  readonly name: string;
  /** undefined for a metric with neither template, query nor built-in name: it fails without being run. */
  readonly query: PlannedMetricQuery | undefined;
}

export interface StageInputs {
  readonly analysis: DefaultedCanaryAnalysis;
  readonly canary: CanaryIdentity;
  readonly phase: CanaryPhase;
  readonly checksum: string;
}

const HOOK_TYPE: Record<WebhookPurpose, HookType> = {
  rollback: 'rollback',
  'confirm-rollout': 'confirm-rollout',
  'pre-rollout': 'pre-rollout',
  rollout: 'rollout',
  'confirm-traffic-increase': 'confirm-traffic-increase',
  'confirm-promotion': 'confirm-promotion',
};

export function webhookStage(purpose: WebhookPurpose, inputs: StageInputs): CheckStage {
  const { analysis, canary, phase, checksum } = inputs;
  return { purpose, calls: webhookCalls(analysis, HOOK_TYPE[purpose], canary, phase, checksum) };
}

export function metricsStage(analysis: DefaultedCanaryAnalysis): CheckStage {
  return {
    purpose: 'metrics',
    metrics: analysis.metrics.map((metric, index) => {
      const source = metricSource(metric);
      return {
        name: metric.name,
        query: source && { kind: 'metric', id: `metrics[${index}]`, metric, source },
      };
    }),
  };
}

/** How a walk over the stages ended. */
export type StageStop =
  | { readonly kind: 'hook-failed'; readonly purpose: WebhookPurpose; readonly hook: string; readonly error: string }
  | { readonly kind: 'rollback-requested'; readonly hook: string }
  | { readonly kind: 'metric-failed'; readonly message: string };

export interface StageWalk {
  /** The batch the shell must run before the walk can go on. */
  readonly pending?: CheckBatch;
  readonly stop?: StageStop;
  readonly passedPurposes: ReadonlySet<CheckBatchPurpose>;
  readonly passedHooks: readonly PlannedWebhookCall[];
  /** Rollback hooks that answered "no rollback". */
  readonly silentRollbackHooks: readonly PlannedWebhookCall[];
  readonly metricResults: readonly MetricCheckResult[];
}

export function walkStages(
  stages: readonly CheckStage[],
  results: ReadonlyMap<string, CheckResult>,
  context: MetricContext & { readonly time: string },
): StageWalk {
  const passedPurposes = new Set<CheckBatchPurpose>();
  const passedHooks: PlannedWebhookCall[] = [];
  const silentRollbackHooks: PlannedWebhookCall[] = [];
  const metricResults: MetricCheckResult[] = [];
  const walk = (ending: { pending?: CheckBatch; stop?: StageStop }): StageWalk => ({
    ...ending,
    passedPurposes,
    passedHooks,
    silentRollbackHooks,
    metricResults,
  });

  for (const stage of stages) {
    if (stage.purpose === 'metrics') {
      const missing = missingQueries(stage.metrics, results);
      if (missing.length > 0) return walk({ pending: { purpose: 'metrics', checks: missing, runUntil: 'all' } });
      for (const slot of stage.metrics) {
        if (!slot.query) return walk({ stop: { kind: 'metric-failed', message: messages.unusableMetric(slot.name) } });
        const result = results.get(slot.query.id);
        if (result?.kind !== 'metric') throw new Error(`result ${slot.query.id} is not a metric result`);
        const judgement = judgeMetric(slot.query.metric, slot.query.source, result.provider, result.outcome, context);
        metricResults.push(metricCheckResult(slot.query, judgement, context.time));
        if (!judgement.passed) return walk({ stop: { kind: 'metric-failed', message: judgement.message } });
      }
      passedPurposes.add('metrics');
      continue;
    }

    const rollback = stage.purpose === 'rollback';
    for (const [index, call] of stage.calls.entries()) {
      const result = results.get(call.id);
      if (result === undefined) {
        const checks = stage.calls.slice(index);
        return walk({
          pending: { purpose: stage.purpose, checks, runUntil: rollback ? 'first-success' : 'first-failure' },
        });
      }
      if (result.kind !== 'webhook') throw new Error(`result ${call.id} is not a webhook result`);
      if (rollback) {
        if (result.ok) return walk({ stop: { kind: 'rollback-requested', hook: call.webhook.name } });
        silentRollbackHooks.push(call);
      } else if (!result.ok) {
        const error = result.message ?? 'no response';
        return walk({ stop: { kind: 'hook-failed', purpose: stage.purpose, hook: call.webhook.name, error } });
      } else {
        passedHooks.push(call);
      }
    }
    passedPurposes.add(stage.purpose);
  }
  return walk({});
}

// The queries still to run: those before the first unusable metric (which fails the stage on its own).
function missingQueries(slots: readonly MetricSlot[], results: ReadonlyMap<string, CheckResult>): PlannedMetricQuery[] {
  const missing: PlannedMetricQuery[] = [];
  for (const slot of slots) {
    if (!slot.query) break;
    if (!results.has(slot.query.id)) missing.push(slot.query);
  }
  return missing;
}

function metricCheckResult(query: PlannedMetricQuery, judgement: MetricJudgement, time: string): MetricCheckResult {
  return {
    name: query.metric.name,
    interval: query.metric.interval,
    ...(judgement.value !== undefined && Number.isFinite(judgement.value) && { value: judgement.value }),
    ...(judgement.bounds.min !== undefined && { min: judgement.bounds.min }),
    ...(judgement.bounds.max !== undefined && { max: judgement.bounds.max }),
    passed: judgement.passed,
    message: judgement.message,
    time,
  };
}
