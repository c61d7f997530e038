import { describe, expect, it } from '@jest/globals';
import { ObjectStore } from '../informers/index.ts';
import { NotFoundError, resourceTypes, type KubeAccess, type KubeObject } from '../kube/index.ts';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import { ClusterView, ClusterWriter, forgetWriteOf, type CacheStores } from './cluster-view.ts';
import { RecentWrites } from './recent-writes.ts';
import { FakeCluster } from './testing/fake-cluster.ts';

describe('ClusterWriter', () => {
  it('forgets its remembered write of an object that turns out to be gone, so the view stops showing it', async () => {
    const service: KubeObject = { metadata: { name: 'podinfo', namespace: 'test', resourceVersion: '7' } };
    let deleted = false;
    const access = {
      apply: async () => service,
      mergePatch: async () => {
        if (deleted) throw new NotFoundError('services "podinfo" not found');
        return service;
      },
    } as unknown as KubeAccess;
    const empty = new ObjectStore<KubeObject>();
    const stores: CacheStores = { store: () => empty as never };
    const recentWrites = new RecentWrites();
    const view = new ClusterView(stores, recentWrites);
    const writer = new ClusterWriter(access, recentWrites);

    await writer.apply(resourceTypes.service, service, undefined);
    // The cache has not shown the write yet: the view answers with it.
    expect(view.get(resourceTypes.service, 'test', 'podinfo')).toBe(service);

    deleted = true;
    await expect(writer.mergePatch(resourceTypes.service, service, { metadata: {} })).rejects.toThrow(NotFoundError);
    expect(view.get(resourceTypes.service, 'test', 'podinfo')).toBeUndefined();
  });
});

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
