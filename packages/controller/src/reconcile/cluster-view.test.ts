import { describe, expect, it } from '@jest/globals';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import { ClusterView, ClusterWriter, forgetWriteOf } from './cluster-view.ts';
import { RecentWrites } from './recent-writes.ts';
import { FakeCluster } from './testing/fake-cluster.ts';

describe('ClusterView over recent writes', () => {
  it('stops showing a written object once the informer reports it deleted', async () => {
    const cluster = new FakeCluster();
    const recentWrites = new RecentWrites();
    const view = new ClusterView(new FakeCluster(), recentWrites);
    const writer = new ClusterWriter(cluster.access(), recentWrites);
    const canary = { metadata: { name: 'podinfo', namespace: 'test' }, spec: {} } as CanaryResource;
    const written = await writer.apply(clusterTypes.canary, canary, undefined);
    // Not in the (empty) cache yet: the overlay shows the write.
    expect(view.get(clusterTypes.canary, 'test', 'podinfo')).toEqual(written);
    forgetWriteOf(recentWrites, clusterTypes.canary, written);
    expect(view.get(clusterTypes.canary, 'test', 'podinfo')).toBeUndefined();
  });
});
