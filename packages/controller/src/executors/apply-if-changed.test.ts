import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../kube/index.ts';
import { resourceTypes } from '../kube/index.ts';
import type { ClusterWriter } from '../reconcile/cluster-view.ts';
import { APPLIED_HASH_ANNOTATION, applyIfChanged, isContainedIn } from './apply-if-changed.ts';

describe('isContainedIn', () => {
  it('accepts a live object that has every desired field (and more)', () => {
    expect(isContainedIn({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2], d: 3 }, e: 4 })).toBe(true);
  });
  it('rejects changed values and lists of another length', () => {
    expect(isContainedIn({ a: 1 }, { a: 2 })).toBe(false);
    expect(isContainedIn({ c: [1] }, { c: [1, 2] })).toBe(false);
    expect(isContainedIn({ c: {} }, { c: 'x' })).toBe(false);
  });
});

describe('applyIfChanged', () => {
  type Service = KubeObject & { spec?: { ports: { port: number }[] } };
  const applied: KubeObject[] = [];
  const writer = {
    apply: async (_type: unknown, object: KubeObject) => {
      applied.push(object);
      return object;
    },
  } as unknown as ClusterWriter;
  const desired = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo' },
    spec: { ports: [{ port: 9898 }] },
  };

  it('applies with the hash of the desired state, then skips while the live object holds it', async () => {
    const first = await applyIfChanged<Service>(writer, resourceTypes.service, desired, undefined);
    expect(first.metadata?.annotations?.[APPLIED_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    const live = { ...first, metadata: { ...first.metadata, resourceVersion: '7' }, status: {} };
    applied.length = 0;
    expect(await applyIfChanged<Service>(writer, resourceTypes.service, desired, live)).toBe(live);
    expect(applied).toEqual([]);
  });

  it('applies again when the live object drifted or the desired state changed', async () => {
    const first = await applyIfChanged<Service>(writer, resourceTypes.service, desired, undefined);
    applied.length = 0;
    const drifted = { ...first, spec: { ports: [{ port: 80 }] } };
    await applyIfChanged<Service>(writer, resourceTypes.service, desired, drifted);
    await applyIfChanged<Service>(
      writer,
      resourceTypes.service,
      { ...desired, spec: { ports: [{ port: 8080 }] } },
      first,
    );
    expect(applied).toHaveLength(2);
  });
});
