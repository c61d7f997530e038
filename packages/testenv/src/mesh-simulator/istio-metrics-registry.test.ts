import { describe, it, expect } from '@jest/globals';
import { ISTIO_DURATION_BUCKETS_MS } from './istio-histogram.ts';
import { IstioMetricsRegistry } from './istio-metrics-registry.ts';
import { flaggerCanary, weightedRoute } from './test-fixtures.ts';
import { buildTrafficPlan, type TrafficFlow } from './traffic-plan.ts';

function primaryFlow(): TrafficFlow {
  const plan = buildTrafficPlan(flaggerCanary('test', [weightedRoute('backend', 100, 0)]), [], {
    defaultRatePerSecond: 10,
    defaultMatchFraction: 0.1,
  });
  const flow = plan.flows[0];
  if (!flow) throw new Error('no flow');
  return flow;
}

describe('IstioMetricsRegistry exposition', () => {
  it('renders a counter and a cumulative histogram with Istio labels', () => {
    const registry = new IstioMetricsRegistry();
    const flow = primaryFlow();
    registry.record(flow, 200, [3, 7, 7, 120]);
    registry.record(flow, 500, [0.2]);
    const text = registry.exposition();
    const lines = text.trimEnd().split('\n');

    expect(lines).toContain('# TYPE istio_requests_total counter');
    expect(lines).toContain('# TYPE istio_request_duration_milliseconds histogram');
    const labels200 =
      'reporter="destination",source_workload="linnet-mesh-simulator",source_workload_namespace="test",' +
      'source_canonical_service="linnet-mesh-simulator",destination_workload="backend-primary",' +
      'destination_workload_namespace="test",destination_app="backend-primary",destination_version="unknown",' +
      'destination_service="backend-primary.test.svc.cluster.local",destination_service_name="backend-primary",' +
      'destination_service_namespace="test",destination_canonical_service="backend-primary",' +
      'destination_canonical_revision="latest",destination_cluster="Kubernetes",request_protocol="http",' +
      'response_code="200",response_flags="-",connection_security_policy="mutual_tls"';
    expect(lines).toContain(`istio_requests_total{${labels200}} 4`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="1"} 0`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="5"} 1`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="10"} 3`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="100"} 3`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="250"} 4`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="3600000"} 4`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels200},le="+Inf"} 4`);
    expect(lines).toContain(`istio_request_duration_milliseconds_sum{${labels200}} 137`);
    expect(lines).toContain(`istio_request_duration_milliseconds_count{${labels200}} 4`);
    const labels500 = labels200.replace('response_code="200"', 'response_code="500"');
    expect(lines).toContain(`istio_requests_total{${labels500}} 1`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${labels500},le="0.5"} 1`);
    // Per series: 1 counter line, buckets + +Inf, _sum and _count.
    expect(lines.filter((l) => l.startsWith('istio_request_duration_milliseconds_bucket{'))).toHaveLength(
      2 * (ISTIO_DURATION_BUCKETS_MS.length + 1),
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('escapes label values', () => {
    const registry = new IstioMetricsRegistry();
    const flow = primaryFlow();
    registry.record({ ...flow, source: { workload: 'a"b\\c\nd', namespace: 'test' } }, 200, [1]);
    expect(registry.exposition()).toContain('source_workload="a\\"b\\\\c\\nd"');
  });

  it('forgets the series of workloads that no longer exist', () => {
    const registry = new IstioMetricsRegistry();
    registry.record(primaryFlow(), 200, [1]);
    registry.retainDestinations(new Set(['test/backend-primary']));
    expect(registry.seriesCount).toBe(1);
    registry.retainDestinations(new Set(['test/backend']));
    expect(registry.seriesCount).toBe(0);
    expect(registry.exposition()).not.toContain('istio_requests_total{');
  });
});
