import { describe, expect, it } from '@jest/globals';
import { withMetricDefaults, type CanaryMetric } from '@linnet/api';
import type { MetricQueryOutcome } from './checks.ts';
import { judgeMetric, metricBounds, metricSource } from './metric-judgement.ts';

const context = { canaryName: 'podinfo.test', targetName: 'podinfo.test' };
const values = (...numbers: number[]): MetricQueryOutcome => ({ type: 'values', values: numbers });

function judge(metric: CanaryMetric, outcome: MetricQueryOutcome) {
  const defaulted = withMetricDefaults(metric);
  const source = metricSource(defaulted);
  if (!source) throw new Error('unusable metric');
  return judgeMetric(defaulted, source, 'istio', outcome, context);
}

const successRate: CanaryMetric = { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' };
const duration: CanaryMetric = { name: 'request-duration', thresholdRange: { max: 500 }, interval: '30s' };
const custom: CanaryMetric = { name: 'error-rate', templateRef: { name: 'errors' }, thresholdRange: { max: 10 } };

describe('judgeMetric', () => {
  it.each<[string, CanaryMetric, MetricQueryOutcome, boolean, string]>([
    [
      'success rate below min',
      successRate,
      values(98.6912),
      false,
      'Halt podinfo.test advancement success rate 98.69% < 99% (metric request-success-rate over 1m, threshold >= 99%)',
    ],
    ['success rate at min passes', successRate, values(99), true, 'request-success-rate 99.00%'],
    [
      'duration above max (Go duration text)',
      duration,
      values(1515.7),
      false,
      'Halt podinfo.test advancement request duration 1.515s > 500ms (metric request-duration over 30s, threshold <= 500ms)',
    ],
    ['duration truncated to whole ms', duration, values(500.9), true, 'request-duration 500ms'],
    [
      'custom above max',
      custom,
      values(12),
      false,
      'Halt podinfo.test advancement error-rate 12.00 > 10 (metric error-rate over 1m, threshold <= 10)',
    ],
    [
      'custom below min',
      { name: 'rps', query: 'sum(rate(x[1m]))', thresholdRange: { min: 5, max: 50 } },
      values(1),
      false,
      'Halt podinfo.test advancement rps 1.00 < 5 (metric rps over 1m, threshold between 5 and 50)',
    ],
    [
      'legacy threshold is a minimum for the success rate',
      { name: 'request-success-rate', threshold: 99 },
      values(98),
      false,
      'Halt podinfo.test advancement success rate 98.00% < 99%',
    ],
    [
      'legacy threshold is a maximum for the duration',
      { name: 'request-duration', threshold: 500 },
      values(600),
      false,
      'Halt podinfo.test advancement request duration 600ms > 500ms',
    ],
    [
      'legacy threshold is a maximum for custom queries',
      { name: 'errors', query: 'sum(x)', threshold: 0 },
      values(1),
      false,
      'Halt podinfo.test advancement errors 1.00 > 0',
    ],
    ['no threshold accepts any value', { name: 'errors', query: 'sum(x)' }, values(1234), true, 'errors 1234.00'],
    [
      'no data',
      successRate,
      values(),
      false,
      'Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving traffic: no values found (metric request-success-rate over 1m, threshold >= 99%, no value)',
    ],
    [
      'NaN is no data',
      duration,
      values(Number.NaN),
      false,
      'Halt advancement no values found for istio metric request-duration probably podinfo.test is not receiving traffic',
    ],
    [
      'several series',
      custom,
      values(1, 2, 3),
      false,
      'Metric query failed for error-rate: query returned 3 series, expected one (metric error-rate over 1m, threshold <= 10, no value)',
    ],
    [
      'query error, built-in',
      successRate,
      { type: 'error', message: 'connection refused' },
      false,
      'Prometheus query failed: connection refused (metric request-success-rate over 1m, threshold >= 99%, no value)',
    ],
    [
      'query error, template',
      custom,
      { type: 'error', message: 'bad_data' },
      false,
      'Metric query failed for error-rate: bad_data',
    ],
    ['+Inf duration fails a max', duration, values(Number.POSITIVE_INFINITY), false, 'request duration'],
  ])('%s', (_name, metric, outcome, passed, message) => {
    const judgement = judge(metric, outcome);
    expect(judgement.passed).toBe(passed);
    expect(judgement.message).toContain(message);
  });

  it('reports the judged value and bounds', () => {
    expect(judge(duration, values(321.9))).toMatchObject({ passed: true, value: 321, bounds: { max: 500 } });
  });
});

describe('metricSource', () => {
  it.each<[CanaryMetric, string | undefined]>([
    [{ name: 'request-success-rate' }, 'builtin'],
    [{ name: 'request-success-rate', templateRef: { name: 't' } }, 'template'],
    [{ name: 'x', query: 'up' }, 'query'],
    [{ name: 'x', query: 'up', templateRef: { name: 't' } }, 'template'],
    [{ name: 'x' }, undefined],
  ])('%j → %s', (metric, expected) => {
    expect(metricSource(withMetricDefaults(metric))).toBe(expected);
  });

  it('thresholdRange wins over the legacy threshold', () => {
    expect(
      metricBounds(withMetricDefaults({ name: 'x', query: 'up', threshold: 3, thresholdRange: { min: 1 } }), 'query'),
    ).toEqual({ min: 1 });
  });
});
