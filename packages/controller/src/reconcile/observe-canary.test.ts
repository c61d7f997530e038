import { describe, expect, it } from '@jest/globals';
import { DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR } from '../builders/index.ts';
import { clusterTypes, type CanaryResource, type DaemonSetResource } from './cluster-types.ts';
import { ClusterView } from './cluster-view.ts';
import { observeCanary, revisionOf } from './observe-canary.ts';
import { RecentWrites } from './recent-writes.ts';
import { FakeCluster } from './testing/fake-cluster.ts';

const options = { selectorLabels: ['app'], meshProvider: 'istio', enableConfigTracking: true };
const now = new Date('2026-01-01T12:00:00Z');

function serverCanary(): CanaryResource {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name: 'podinfo',
      namespace: 'test',
      uid: 'u-1',
      generation: 3,
      resourceVersion: '42',
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, maxWeight: 50 },
    },
    status: { phase: 'Initialized', lastDecision: { reason: 'Initialized', message: 'done', time: 'T' } },
  };
}

describe('observeCanary', () => {
  it("validates only the user's spec, not the server's bookkeeping, and observes the target", () => {
    const cluster = new FakeCluster();
    cluster.put(clusterTypes.deployment, {
      metadata: { name: 'podinfo', namespace: 'test' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'podinfo' } }, template: { spec: { containers: [] } } },
    });
    const observed = observeCanary(serverCanary(), new ClusterView(cluster, new RecentWrites()), options, now);
    expect(observed.kind).toBe('observed');
    if (observed.kind !== 'observed') return;
    expect(observed.observation).toMatchObject({
      canary: { name: 'podinfo', namespace: 'test', generation: 3 },
      targetReplicas: 0,
      primaryReadiness: { state: 'waiting', message: 'podinfo-primary.test not created yet' },
      routes: undefined,
    });
    expect(observed.selector).toEqual({ key: 'app', value: 'podinfo' });
  });

  it('blocks a target without a selector label', () => {
    const cluster = new FakeCluster();
    cluster.put(clusterTypes.deployment, {
      metadata: { name: 'podinfo', namespace: 'test' },
      spec: { selector: { matchLabels: { tier: 'web' } }, template: {} },
    });
    expect(observeCanary(serverCanary(), new ClusterView(cluster, new RecentWrites()), options, now)).toMatchObject({
      kind: 'blocked',
      reason: 'SelectorLabelMissing',
    });
  });
});

describe('revisionOf', () => {
  it('ignores the node selector that marks a DaemonSet scaled to zero', () => {
    const daemonSet = (nodeSelector?: Record<string, string>): DaemonSetResource => ({
      metadata: { name: 'agent' },
      spec: { selector: {}, template: { spec: { containers: [], ...(nodeSelector && { nodeSelector }) } } },
    });
    const running = revisionOf({ kind: 'DaemonSet', object: daemonSet() });
    const scaledDown = revisionOf({
      kind: 'DaemonSet',
      object: daemonSet({ [DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR]: 'true' }),
    });
    expect(scaledDown).toBe(running);
  });
});
