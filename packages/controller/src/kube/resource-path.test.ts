import { describe, expect, it } from '@jest/globals';
import { collectionPath, objectPath } from './resource-path.ts';
import { apiVersionOf, resourceName, resourceTypes } from './resource-type.ts';

describe('resource paths', () => {
  it('builds core, grouped, namespaced and cluster-scoped URLs', () => {
    expect(collectionPath(resourceTypes.configMap)).toBe('/api/v1/configmaps');
    expect(collectionPath(resourceTypes.configMap, 'team-a')).toBe('/api/v1/namespaces/team-a/configmaps');
    expect(objectPath(resourceTypes.canary, { namespace: 'test', name: 'podinfo' }, 'status')).toBe(
      '/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo/status',
    );
    expect(objectPath(resourceTypes.customResourceDefinition, { name: 'canaries.flagger.app' })).toBe(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/canaries.flagger.app',
    );
    // A namespace given for a cluster-scoped resource is ignored rather than producing a bad path.
    expect(collectionPath(resourceTypes.namespace, 'x')).toBe('/api/v1/namespaces');
  });

  it('refuses a namespaced object without a namespace', () => {
    expect(() => objectPath(resourceTypes.deployment, { name: 'web' })).toThrow(TypeError);
  });

  it('names resources for humans and metrics', () => {
    expect(apiVersionOf(resourceTypes.secret)).toBe('v1');
    expect(apiVersionOf(resourceTypes.horizontalPodAutoscaler)).toBe('autoscaling/v2');
    expect(resourceName(resourceTypes.virtualService)).toBe('virtualservices.networking.istio.io');
    expect(resourceName(resourceTypes.service)).toBe('services');
  });
});
