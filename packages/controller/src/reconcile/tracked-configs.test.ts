import { describe, expect, it } from '@jest/globals';
import type { V1PodSpec } from '@kubernetes/client-node';
import { configChecksum } from '@linnet/core';
import type { ConfigMapResource, SecretResource } from './cluster-types.ts';
import { CONFIG_TRACKING_ANNOTATION, TrackedConfigMissingError, trackedConfigsOf } from './tracked-configs.ts';

const podSpec: V1PodSpec = {
  containers: [
    {
      name: 'app',
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'token' } } }],
      envFrom: [{ configMapRef: { name: 'optional-env', optional: true } }],
    },
  ],
  volumes: [
    { name: 'config', configMap: { name: 'config' } },
    { name: 'pull', secret: { secretName: 'registry' } },
  ],
};

function lookup(configMaps: ConfigMapResource[], secrets: SecretResource[]) {
  return {
    configMap: (name: string) => configMaps.find((object) => object.metadata?.name === name),
    secret: (name: string) => secrets.find((object) => object.metadata?.name === name),
  };
}

describe('trackedConfigsOf (reference §3.5)', () => {
  const config: ConfigMapResource = { metadata: { name: 'config' }, data: { 'a.txt': 'blue' } };
  const token: SecretResource = { metadata: { name: 'token' }, type: 'Opaque', data: { token: 'c2VjcmV0' } };
  const registry: SecretResource = { metadata: { name: 'registry' }, type: 'kubernetes.io/dockerconfigjson', data: {} };

  it('checksums the ConfigMaps and Secrets the pods use, skipping registry secrets and missing optional ones', () => {
    const tracked = trackedConfigsOf(podSpec, lookup([config], [token, registry]));
    expect(tracked.checksums).toEqual({
      'configmap/config': configChecksum({ 'a.txt': 'blue' }),
      'secret/token': configChecksum({ token: 'c2VjcmV0' }),
    });
    expect([...tracked.names.configMaps]).toEqual(['config']);
    expect([...tracked.names.secrets]).toEqual(['token']);
  });

  it('leaves out objects that opt out of tracking', () => {
    const optedOut = {
      ...config,
      metadata: { name: 'config', annotations: { [CONFIG_TRACKING_ANNOTATION]: 'disabled' } },
    };
    expect(Object.keys(trackedConfigsOf(podSpec, lookup([optedOut], [token, registry])).checksums)).toEqual([
      'secret/token',
    ]);
  });

  it('fails on a missing mandatory reference', () => {
    expect(() => trackedConfigsOf(podSpec, lookup([], [token]))).toThrow(TrackedConfigMissingError);
  });
});
