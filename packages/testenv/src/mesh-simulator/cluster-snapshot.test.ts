import { describe, it, expect } from '@jest/globals';
import {
  makeSnapshot,
  toDeploymentView,
  toServiceView,
  toVirtualServiceView,
  workloadsBehindService,
} from './cluster-snapshot.ts';
import { deployment, service } from './test-fixtures.ts';

describe('converters', () => {
  it('extract what the simulator needs and reject objects without identity', () => {
    expect(
      toDeploymentView({
        metadata: { namespace: 'test', name: 'backend' },
        spec: {
          template: { metadata: { labels: { app: 'backend' }, annotations: { 'sim.linnet.dev/error-rate': '0.1' } } },
        },
        status: { readyReplicas: 2 },
      }),
    ).toEqual({
      namespace: 'test',
      name: 'backend',
      templateLabels: { app: 'backend' },
      templateAnnotations: { 'sim.linnet.dev/error-rate': '0.1' },
      readyReplicas: 2,
    });
    expect(toDeploymentView({ metadata: { namespace: 'test', name: 'x' } })?.readyReplicas).toBe(0);
    expect(toServiceView({ metadata: { name: 'no-namespace' } })).toBeUndefined();
    expect(toServiceView(null)).toBeUndefined();
    expect(toServiceView({ metadata: { namespace: 'a', name: 'b' }, spec: {} })?.selector).toEqual({});
    const vs = toVirtualServiceView({
      metadata: { namespace: 'test', name: 'backend', annotations: { 'sim.linnet.dev/rate': '5' } },
      spec: { http: [{ route: [{ destination: { host: 'backend-primary' } }] }] },
    });
    expect(vs?.annotations).toEqual({ 'sim.linnet.dev/rate': '5' });
    expect(vs?.routes).toHaveLength(1);
  });
});

describe('workloadsBehindService', () => {
  const snapshot = makeSnapshot(
    [service('test', 'backend-canary', { app: 'backend' }), service('test', 'manual', {})],
    [
      deployment('test', 'backend', { labels: { app: 'backend', version: 'v2' }, readyReplicas: 3 }),
      deployment('test', 'backend-old', { labels: { app: 'backend', version: 'v1' }, readyReplicas: 1 }),
      deployment('test', 'backend-scaled-down', { labels: { app: 'backend' }, readyReplicas: 0 }),
      deployment('other', 'backend', { labels: { app: 'backend' }, readyReplicas: 1 }),
      deployment('test', 'unrelated', { labels: { app: 'other' } }),
    ],
    [],
  );

  it('splits a Service over the matching Deployments of its namespace by ready replicas', () => {
    const endpoints = workloadsBehindService(snapshot, { namespace: 'test', name: 'backend-canary' });
    expect(endpoints.map((e) => [e.deployment.name, e.share])).toEqual([
      ['backend', 0.75],
      ['backend-old', 0.25],
    ]);
  });

  it('gives nothing to unknown Services and Services without a selector', () => {
    expect(workloadsBehindService(snapshot, { namespace: 'test', name: 'missing' })).toEqual([]);
    expect(workloadsBehindService(snapshot, { namespace: 'test', name: 'manual' })).toEqual([]);
  });
});
