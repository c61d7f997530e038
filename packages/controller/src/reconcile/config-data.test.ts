import { describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../kube/index.ts';
import { clusterTypes } from './cluster-types.ts';
import { ConfigData, ConfigDataNotLoadedError } from './config-data.ts';
import { FakeCluster } from './testing/fake-cluster.ts';

const NAMESPACE = 'test';
const settings = { type: clusterTypes.configMap, namespace: NAMESPACE, name: 'settings' };

function world() {
  const cluster = new FakeCluster();
  const gets: string[] = [];
  const inner = cluster.access();
  const access: KubeAccess = {
    ...inner,
    get: (type, locator, options) => {
      gets.push(`${type.kind} ${locator.name}`);
      return inner.get(type, locator, options);
    },
  };
  // The fake's stores stand in for the metadata-only informers.
  const configData = new ConfigData(access, (type) => cluster.store(type));
  return { cluster, gets, configData, access };
}

describe('ConfigData', () => {
  it('fetches a referenced object once and again only when its resourceVersion changes', async () => {
    const { cluster, gets, configData } = world();
    cluster.put(clusterTypes.configMap, { metadata: { name: 'settings', namespace: NAMESPACE }, data: { a: '1' } });
    await configData.load([settings]);
    await configData.load([settings]);
    expect(gets).toEqual(['ConfigMap settings']);
    expect(configData.get(clusterTypes.configMap, NAMESPACE, 'settings')?.data).toEqual({ a: '1' });

    cluster.put(clusterTypes.configMap, { metadata: { name: 'settings', namespace: NAMESPACE }, data: { a: '2' } });
    await configData.load([settings]);
    expect(gets).toEqual(['ConfigMap settings', 'ConfigMap settings']);
    expect(configData.get(clusterTypes.configMap, NAMESPACE, 'settings')?.data).toEqual({ a: '2' });
  });

  it('answers undefined for an object the metadata cache does not have, without a request', async () => {
    const { gets, configData } = world();
    await configData.load([settings]);
    expect(gets).toEqual([]);
    expect(configData.get(clusterTypes.configMap, NAMESPACE, 'settings')).toBeUndefined();
  });

  it('refuses to answer for an existing object whose data was never loaded', () => {
    const { cluster, configData } = world();
    cluster.put(clusterTypes.secret, { metadata: { name: 'token', namespace: NAMESPACE }, data: { t: 'eA==' } });
    expect(() => configData.get(clusterTypes.secret, NAMESPACE, 'token')).toThrow(ConfigDataNotLoadedError);
  });

  it("keeps Linnet's own writes, so the version it wrote needs no GET", async () => {
    const { gets, configData, access } = world();
    const written = await access.apply(clusterTypes.configMap, {
      metadata: { name: 'settings-primary', namespace: NAMESPACE },
      data: { a: '1' },
    });
    configData.remember(clusterTypes.configMap, written);
    await configData.load([{ ...settings, name: 'settings-primary' }]);
    expect(gets).toEqual([]);
    expect(configData.get(clusterTypes.configMap, NAMESPACE, 'settings-primary')?.data).toEqual({ a: '1' });
  });

  it('drops the data of a deleted object', async () => {
    const { cluster, configData } = world();
    const stored = cluster.put(clusterTypes.configMap, { metadata: { name: 'settings', namespace: NAMESPACE } });
    await configData.load([settings]);
    expect(configData.size).toBe(1);
    configData.forget(clusterTypes.configMap, stored);
    expect(configData.size).toBe(0);
  });
});
