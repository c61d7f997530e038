import { describe, expect, it } from '@jest/globals';
import { CanaryIndex } from './canary-index.ts';

describe('CanaryIndex', () => {
  it('finds Canaries by target, by tracked config and by owner reference', () => {
    const index = new CanaryIndex();
    index.setTarget('test/podinfo', 'Deployment', 'test', 'podinfo');
    index.setConfigs('test/podinfo', 'test', [{ kind: 'ConfigMap', name: 'podinfo-config' }]);
    const meta = (name: string) => ({ metadata: { namespace: 'test', name } });
    expect(index.canariesFor('Deployment', meta('podinfo'))).toEqual(['test/podinfo']);
    expect(index.canariesFor('ConfigMap', meta('podinfo-config'))).toEqual(['test/podinfo']);
    expect(index.canariesFor('Secret', meta('podinfo-config'))).toEqual([]);
    const owned = {
      metadata: {
        namespace: 'test',
        name: 'podinfo-canary',
        ownerReferences: [
          { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', uid: 'u', controller: true },
        ],
      },
    };
    expect(index.canariesFor('Service', owned)).toEqual(['test/podinfo']);
  });

  it('reports other Canaries sharing a target and forgets removed ones', () => {
    const index = new CanaryIndex();
    expect(index.setTarget('test/a', 'Deployment', 'test', 'app')).toEqual([]);
    expect(index.setTarget('test/b', 'Deployment', 'test', 'app')).toEqual(['test/a']);
    index.remove('test/a');
    index.setTarget('test/b', 'Deployment', 'test', 'other');
    expect(index.canariesFor('Deployment', { metadata: { namespace: 'test', name: 'app' } })).toEqual([]);
  });
});
