import { MAX_WEBHOOK_RETRIES } from '../limits.ts';
import { BUILTIN_METRIC_NAMES } from '../schema/canary-analysis.ts';
import { asArray, asNumber, asObject, asString, type RawObject } from './raw-value.ts';
import { checkHttpUrl, checkStringMatch, checkTimerDuration, checkUniqueNames } from './value-rules.ts';
import type { PathSegment, ReportProblem } from './validation-problem.ts';

// Cross-field rules of `spec.analysis` that Flagger either enforces late (at run time) or not at all.

export interface AnalysisContext {
  /** The kubernetes provider turns every canary into blue/green, so it needs no weights. */
  provider: string | undefined;
  skipAnalysis: boolean;
}

const isSet = (value: unknown): boolean => value !== undefined;

function checkWeights(analysis: RawObject, at: readonly PathSegment[], report: ReportProblem): void {
  const stepWeight = asNumber(analysis.stepWeight);
  const stepWeights = asArray(analysis.stepWeights);
  const maxWeight = asNumber(analysis.maxWeight);
  // stepWeight 0 next to stepWeights is Flagger's way of saying "use stepWeights"; alone it is a mistake.
  const explicitZeroForStepWeights = stepWeight === 0 && stepWeights !== undefined;
  if (stepWeight !== undefined && !explicitZeroForStepWeights && (stepWeight < 1 || stepWeight > 100)) {
    report([...at, 'stepWeight'], `must be between 1 and 100 (got ${stepWeight})`);
  }
  if (maxWeight !== undefined && (maxWeight < 1 || maxWeight > 100)) {
    report([...at, 'maxWeight'], `must be between 1 and 100 (got ${maxWeight})`);
  }
  if (stepWeights === undefined) return;
  if (stepWeight !== undefined && stepWeight !== 0) {
    report(
      [...at, 'stepWeights'],
      'cannot be combined with stepWeight (Flagger would silently ignore stepWeights); set only one of them',
    );
  }
  if (stepWeights.length === 0) report([...at, 'stepWeights'], 'must not be empty');
  let previous: number | undefined;
  stepWeights.forEach((item, index) => {
    const weight = asNumber(item);
    if (weight === undefined) return;
    const path = [...at, 'stepWeights', index];
    const isLast = index === stepWeights.length - 1;
    if (weight < 1) report(path, `must be at least 1 (got ${weight})`);
    else if (weight > 100 && !isLast) {
      report(path, `must be at most 100 (got ${weight}); only the last step may be larger, and it counts as 100`);
    } else if (previous !== undefined && weight <= previous) {
      report(path, `must be greater than the previous step (got ${weight} after ${previous})`);
    }
    previous = weight;
  });
}

function checkStrategy(
  analysis: RawObject,
  at: readonly PathSegment[],
  report: ReportProblem,
  context: AnalysisContext,
): void {
  const iterations = asNumber(analysis.iterations) ?? 0;
  const hasWeights = isSet(analysis.stepWeight) || isSet(analysis.stepWeights);
  if (iterations > 0 && hasWeights) {
    report(
      [...at, 'iterations'],
      'cannot be combined with stepWeight or stepWeights: iterations selects blue/green or A/B testing, ' +
        'step weights select a canary rollout',
    );
  }
  if (iterations === 0 && !hasWeights && !context.skipAnalysis && context.provider !== 'kubernetes') {
    report(at, 'needs stepWeight or stepWeights for a canary rollout, or iterations for blue/green or A/B testing');
  }
}

function checkMetric(metric: RawObject, at: readonly PathSegment[], report: ReportProblem): void {
  checkTimerDuration(
    metric.interval,
    [...at, 'interval'],
    report,
    'must be longer than 0s: it is the range of the query',
  );
  const name = asString(metric.name);
  const isBuiltin = (BUILTIN_METRIC_NAMES as readonly string[]).includes(name ?? '');
  if (name && !isBuiltin && !asString(metric.query) && !isSet(metric.templateRef)) {
    report(
      at,
      `needs a templateRef or a query: ${JSON.stringify(name)} is not a built-in metric ` +
        `(${BUILTIN_METRIC_NAMES.join(', ')})`,
    );
  }
  const range = asObject(metric.thresholdRange);
  const min = asNumber(range?.min);
  const max = asNumber(range?.max);
  if (range && !isSet(range.min) && !isSet(range.max)) {
    report([...at, 'thresholdRange'], 'must set min, max or both');
  } else if (min !== undefined && max !== undefined && min > max) {
    report([...at, 'thresholdRange'], `min must not be greater than max (got min ${min}, max ${max})`);
  } else if (!range && !isSet(metric.threshold)) {
    report(at, 'needs a thresholdRange (min, max or both) to judge the value');
  }
}

function checkMetrics(metrics: readonly unknown[], at: readonly PathSegment[], report: ReportProblem): void {
  checkUniqueNames(metrics, at, report);
  metrics.forEach((item, index) => {
    const metric = asObject(item);
    if (metric) checkMetric(metric, [...at, index], report);
  });
}

function checkWebhooks(webhooks: readonly unknown[], at: readonly PathSegment[], report: ReportProblem): void {
  checkUniqueNames(webhooks, at, report);
  webhooks.forEach((item, index) => {
    const webhook = asObject(item);
    if (!webhook) return;
    checkHttpUrl(webhook.url, [...at, index, 'url'], report);
    checkTimerDuration(webhook.timeout, [...at, index, 'timeout'], report, 'must be longer than 0s');
    const retries = asNumber(webhook.retries);
    if (retries !== undefined && retries > MAX_WEBHOOK_RETRIES) {
      report(
        [...at, index, 'retries'],
        `must be at most ${MAX_WEBHOOK_RETRIES} (got ${retries}); a call with its retries takes at most timeout × (retries + 1)`,
      );
    }
  });
}

function checkSessionAffinity(affinity: RawObject, at: readonly PathSegment[], report: ReportProblem): void {
  const cookieName = asString(affinity.cookieName);
  if (cookieName !== undefined && cookieName === asString(affinity.primaryCookieName)) {
    report([...at, 'primaryCookieName'], `must differ from cookieName (both are ${JSON.stringify(cookieName)})`);
  }
}

function checkMatches(matches: readonly unknown[], at: readonly PathSegment[], report: ReportProblem): void {
  matches.forEach((item, index) => {
    const match = asObject(item);
    for (const [header, condition] of Object.entries(asObject(match?.headers) ?? {})) {
      checkStringMatch(condition, [...at, index, 'headers', header], report, {
        keys: ['exact', 'prefix', 'suffix', 'regex'],
        required: true,
      });
    }
    for (const [parameter, condition] of Object.entries(asObject(match?.queryParams) ?? {})) {
      checkStringMatch(condition, [...at, index, 'queryParams', parameter], report, {
        keys: ['exact', 'prefix', 'regex'],
        required: false,
      });
    }
  });
}

export function checkAnalysis(
  analysis: RawObject,
  at: readonly PathSegment[],
  report: ReportProblem,
  context: AnalysisContext,
): void {
  checkTimerDuration(analysis.interval, [...at, 'interval'], report, 'must be longer than 0s');
  checkWeights(analysis, at, report);
  checkStrategy(analysis, at, report, context);
  const metrics = asArray(analysis.metrics);
  if (metrics) checkMetrics(metrics, [...at, 'metrics'], report);
  const webhooks = asArray(analysis.webhooks);
  if (webhooks) checkWebhooks(webhooks, [...at, 'webhooks'], report);
  const affinity = asObject(analysis.sessionAffinity);
  if (affinity) checkSessionAffinity(affinity, [...at, 'sessionAffinity'], report);
  const matches = asArray(analysis.match);
  if (matches) checkMatches(matches, [...at, 'match'], report);
}
