// Judging one metric query result against the metric's thresholds (reference §6.2).
import { BUILTIN_METRIC_NAMES, formatDuration, type DefaultedCanaryMetric } from '@linnet/api';
import type { MetricQueryOutcome, MetricSource } from './checks.ts';

export interface MetricBounds {
  readonly min?: number;
  readonly max?: number;
}

export interface MetricJudgement {
  readonly passed: boolean;
  /** The value judged (request-duration truncated to whole milliseconds); absent when there was none. */
  readonly value?: number;
  readonly bounds: MetricBounds;
  /** Flagger's event text where it has one, followed by the metric, its window and its threshold. */
  readonly message: string;
}

type MetricKind = 'success-rate' | 'duration' | 'custom';

const builtinNames: readonly string[] = BUILTIN_METRIC_NAMES;

/** Where a metric's value comes from: a template wins over an inline query, which wins over a built-in name. */
export function metricSource(metric: DefaultedCanaryMetric): MetricSource | undefined {
  if (metric.templateRef) return 'template';
  if (metric.query) return 'query';
  if (builtinNames.includes(metric.name)) return 'builtin';
  return undefined;
}

function metricKind(metric: DefaultedCanaryMetric, source: MetricSource): MetricKind {
  if (source !== 'builtin') return 'custom';
  return metric.name === 'request-success-rate' ? 'success-rate' : 'duration';
}

/**
 * The accepted range. thresholdRange wins; otherwise the deprecated `threshold` is a minimum for the success
 * rate and a maximum for durations and custom metrics. No threshold at all accepts any value (Flagger would fail a
 * custom metric on any positive value).
 */
export function metricBounds(metric: DefaultedCanaryMetric, source: MetricSource): MetricBounds {
  if (metric.thresholdRange) {
    const { min, max } = metric.thresholdRange;
    return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
  }
  if (metric.threshold === undefined) return {};
  return metricKind(metric, source) === 'success-rate' ? { min: metric.threshold } : { max: metric.threshold };
}

export interface MetricContext {
  /** "<canary>.<namespace>" */
  readonly canaryName: string;
  /** "<target>.<namespace>" */
  readonly targetName: string;
}

/** Judges a query outcome. No data, NaN, several series and query errors are failed checks. */
export function judgeMetric(
  metric: DefaultedCanaryMetric,
  source: MetricSource,
  provider: string,
  outcome: MetricQueryOutcome,
  context: MetricContext,
): MetricJudgement {
  const kind = metricKind(metric, source);
  const bounds = metricBounds(metric, source);
  const noValue = (text: string): MetricJudgement => ({
    passed: false,
    bounds,
    message: `${text} (${describeWindowAndBounds(metric, kind, bounds)}, no value)`,
  });

  if (outcome.type === 'error') {
    const prefix = source === 'builtin' ? 'Prometheus query failed' : `Metric query failed for ${metric.name}`;
    return noValue(`${prefix}: ${outcome.message}`);
  }
  if (outcome.values.length > 1) {
    return noValue(
      `Metric query failed for ${metric.name}: query returned ${outcome.values.length} series, expected one`,
    );
  }
  const raw = outcome.values[0];
  if (raw === undefined || Number.isNaN(raw)) {
    return noValue(
      `Halt advancement no values found for ${provider} metric ${metric.name} probably ${context.targetName} ` +
        `is not receiving traffic: no values found`,
    );
  }

  const value = kind === 'duration' ? Math.trunc(raw) : raw;
  const window = describeWindowAndBounds(metric, kind, bounds);
  const belowMin = bounds.min !== undefined && value < bounds.min;
  const aboveMax = bounds.max !== undefined && value > bounds.max;
  if (!belowMin && !aboveMax) {
    return { passed: true, value, bounds, message: `${metric.name} ${formatValue(kind, value)} (${window})` };
  }
  const limit = (belowMin ? bounds.min : bounds.max) ?? 0;
  const relation = belowMin ? '<' : '>';
  return {
    passed: false,
    value,
    bounds,
    message: `${haltText(context.canaryName, metric.name, kind, value, relation, limit)} (${window})`,
  };
}

/** Flagger's halt texts, e.g. "Halt podinfo.test advancement success rate 98.69% < 99%". */
function haltText(
  canaryName: string,
  metricName: string,
  kind: MetricKind,
  value: number,
  relation: '<' | '>',
  limit: number,
): string {
  const prefix = `Halt ${canaryName} advancement`;
  switch (kind) {
    case 'success-rate':
      return `${prefix} success rate ${value.toFixed(2)}% ${relation} ${limit}%`;
    case 'duration':
      return `${prefix} request duration ${formatDuration(value)} ${relation} ${formatDuration(limit)}`;
    case 'custom':
      return `${prefix} ${metricName} ${value.toFixed(2)} ${relation} ${limit}`;
  }
}

function formatValue(kind: MetricKind, value: number): string {
  if (kind === 'duration') return formatDuration(value);
  if (kind === 'success-rate') return `${value.toFixed(2)}%`;
  return value.toFixed(2);
}

function formatBound(kind: MetricKind, bound: number): string {
  if (kind === 'duration') return `${bound}ms`;
  if (kind === 'success-rate') return `${bound}%`;
  return String(bound);
}

function describeWindowAndBounds(metric: DefaultedCanaryMetric, kind: MetricKind, bounds: MetricBounds): string {
  const { min, max } = bounds;
  let threshold: string;
  if (min !== undefined && max !== undefined) {
    threshold = `between ${formatBound(kind, min)} and ${formatBound(kind, max)}`;
  } else if (min !== undefined) threshold = `>= ${formatBound(kind, min)}`;
  else if (max !== undefined) threshold = `<= ${formatBound(kind, max)}`;
  else threshold = 'any value';
  return `metric ${metric.name} over ${metric.interval}, threshold ${threshold}`;
}
