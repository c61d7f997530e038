import { describe, expect, it } from '@jest/globals';
import { renderBuiltinIstioQuery } from './builtin-queries.ts';
import type { MetricTemplateContext } from './query-template.ts';

const context: MetricTemplateContext = {
  name: 'podinfo',
  namespace: 'default',
  target: 'podinfo',
  service: 'podinfo',
  ingress: 'podinfo',
  route: 'podinfo',
  interval: '1m',
  variables: {},
};

describe('Flagger’s built-in Istio queries', () => {
  it('renders request-success-rate to the exact string Flagger sends (reference §6.1)', () => {
    expect(renderBuiltinIstioQuery('request-success-rate', context)).toBe(
      ' sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="default", destination_workload=~"podinfo", response_code!~"5.*" }[1m] ) ) / sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="default", destination_workload=~"podinfo" }[1m] ) ) * 100',
    );
  });

  it('renders request-duration as the P99 of the millisecond histogram', () => {
    expect(renderBuiltinIstioQuery('request-duration', { ...context, namespace: 'test', interval: '30s' })).toBe(
      ' histogram_quantile( 0.99, sum( rate( istio_request_duration_milliseconds_bucket{ reporter="destination", destination_workload_namespace="test", destination_workload=~"podinfo" }[30s] ) ) by (le) )',
    );
  });

  it('matches the compact form of the reference after removing layout spaces', () => {
    const compact = (q: string) =>
      q
        .replace(/([({,]) /g, '$1')
        .replace(/ ([)}\]])/g, '$1')
        .trim();
    expect(compact(renderBuiltinIstioQuery('request-success-rate', context))).toBe(
      'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="default",destination_workload=~"podinfo",response_code!~"5.*"}[1m])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="default",destination_workload=~"podinfo"}[1m])) * 100',
    );
  });
});
