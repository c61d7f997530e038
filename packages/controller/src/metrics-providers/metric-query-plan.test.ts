import { describe, expect, it } from '@jest/globals';
import type { CanaryMetric } from '@linnet/api';
import { MetricCheckSetupError, planMetricQueries, type MetricPlanInputs } from './metric-query-plan.ts';
import { MetricTemplateRenderError } from './query-template.ts';

const canary: MetricPlanInputs['canary'] = {
  metadata: { name: 'podinfo', namespace: 'test' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    metricsServer: 'http://canary-prom:9090',
  },
};
const latencyTemplate: NonNullable<MetricPlanInputs['template']> = {
  metadata: { name: 'latency', namespace: 'istio-system' },
  spec: {
    provider: { type: 'prometheus', address: 'http://prometheus.istio-system:9090' },
    query: 'latency{ns="{{ namespace }}",reporter="{{ variables.reporter }}"}[{{ interval }}]',
  },
};

function plan(metric: CanaryMetric, extra: Partial<MetricPlanInputs> = {}) {
  return planMetricQueries({ canary, metric, defaultAddress: 'http://prometheus:9090', ...extra });
}

describe('planMetricQueries', () => {
  it('runs a built-in metric against the Canary metricsServer with the metric interval', () => {
    const [only, ...rest] = plan({ name: 'request-success-rate', interval: '30s', thresholdRange: { min: 99 } });
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      metric: 'request-success-rate',
      source: 'builtin',
      provider: { address: 'http://canary-prom:9090' },
    });
    expect(only?.query).toContain('destination_workload_namespace="test", destination_workload=~"podinfo"');
    expect(only?.query).toContain('[30s]');
  });

  it('renders an inline query with the template variables, as Flagger does', () => {
    const [only] = plan({
      name: 'errors',
      interval: '2m',
      query: 'sum(errors{ns="{{ namespace }}",app="{{ target }}",tier="{{ variables.tier }}"}[{{ interval }}])',
      templateVariables: { tier: 'web' },
    });
    expect(only?.query).toBe('sum(errors{ns="test",app="podinfo",tier="web"}[2m])');
  });

  it('runs an inline query without template actions as written', () => {
    expect(plan({ name: 'errors', query: 'sum(errors{ns="x"})' })).toEqual([
      {
        metric: 'errors',
        source: 'inline',
        query: 'sum(errors{ns="x"})',
        provider: { address: 'http://canary-prom:9090' },
      },
    ]);
  });

  it('renders a template with its variables and provider', () => {
    const plans = plan(
      {
        name: 'latency',
        templateRef: { name: 'latency', namespace: 'istio-system' },
        templateVariables: { reporter: 'destination' },
      },
      { template: latencyTemplate },
    );
    expect(plans).toEqual([
      {
        metric: 'latency',
        source: 'template',
        query: 'latency{ns="test",reporter="destination"}[1m]',
        provider: { address: 'http://prometheus.istio-system:9090' },
      },
    ]);
  });

  it('runs both the built-in query and the template for a built-in name with a templateRef', () => {
    const plans = plan(
      { name: 'request-duration', templateRef: { name: 'latency' }, templateVariables: { reporter: 'source' } },
      { template: latencyTemplate },
    );
    expect(plans.map((p) => p.source)).toEqual(['builtin', 'template']);
  });

  it('fails with a reason when the check cannot run', () => {
    expect(() => plan({ name: 'custom' })).toThrow(MetricCheckSetupError);
    expect(() => plan({ name: 'custom' })).toThrow('metric custom has no usable metrics template or query');
    expect(() => plan({ name: 'latency', templateRef: { name: 'latency' } })).toThrow(
      'MetricTemplate test/latency of metric latency not found',
    );
    expect(() => plan({ name: 'latency', templateRef: { name: 'latency' } }, { template: latencyTemplate })).toThrow(
      MetricTemplateRenderError,
    );
  });
});
