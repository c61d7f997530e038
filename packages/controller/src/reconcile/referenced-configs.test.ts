import { describe, expect, it } from '@jest/globals';
import { ClusterView } from './cluster-view.ts';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import { RecentWrites } from './recent-writes.ts';
import { configsReferencedBy } from './referenced-configs.ts';
import { FakeCluster } from './testing/fake-cluster.ts';

function viewWithTemplate(): ClusterView {
  const cluster = new FakeCluster();
  cluster.put(clusterTypes.metricTemplate, {
    metadata: { name: 'latency', namespace: 'test' },
    spec: { provider: { type: 'prometheus', address: 'http://prometheus:9090', secretRef: { name: 'prom-auth' } } },
  } as never);
  return new ClusterView(cluster, new RecentWrites());
}

const metrics = [{ name: 'latency', templateRef: { name: 'latency' }, thresholdRange: { max: 500 } }];

function canary(spec: Record<string, unknown>): CanaryResource {
  return {
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: { targetRef: { kind: 'Deployment', name: 'podinfo' }, service: { port: 9898 }, ...spec },
  } as CanaryResource;
}

describe('configsReferencedBy', () => {
  it('loads the credentials Secret of a MetricTemplate the analysis uses', () => {
    expect(configsReferencedBy(canary({ analysis: { metrics } }), viewWithTemplate())).toEqual([
      { type: clusterTypes.secret, namespace: 'test', name: 'prom-auth' },
    ]);
  });

  it('reads the metrics of the deprecated canaryAnalysis too', () => {
    expect(configsReferencedBy(canary({ canaryAnalysis: { metrics } }), viewWithTemplate())).toEqual([
      { type: clusterTypes.secret, namespace: 'test', name: 'prom-auth' },
    ]);
  });
});
