import { describe, expect, it } from '@jest/globals';
import { stripForCache } from './cache-transform.ts';

describe('stripForCache', () => {
  it('drops managedFields and the last-applied annotation, keeping every other field', () => {
    const object = {
      metadata: {
        name: 'x',
        annotations: { keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{"huge":true}' },
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      },
      spec: { replicas: 1 },
    };
    expect(stripForCache(object)).toEqual({
      metadata: { name: 'x', annotations: { keep: 'me' } },
      spec: { replicas: 1 },
    });
  });
});
