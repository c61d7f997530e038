import { describe, expect, it } from '@jest/globals';
import { ObjectStore } from './object-store.ts';

const object = (namespace: string, name: string, resourceVersion: string) => ({
  metadata: { namespace, name, resourceVersion },
});

describe('ObjectStore', () => {
  it('stores by namespace/name and lists per namespace', () => {
    const store = new ObjectStore();
    expect(store.upsert(object('a', 'x', '1'))).toBeUndefined();
    store.upsert(object('b', 'x', '2'));
    expect(store.upsert(object('a', 'x', '3'))?.metadata?.resourceVersion).toBe('1');
    expect(store.get('a', 'x')?.metadata?.resourceVersion).toBe('3');
    expect(store.getByKey('b/x')).toBeDefined();
    expect(store.list('a')).toHaveLength(1);
    expect(store.keys().sort()).toEqual(['a/x', 'b/x']);
    expect(store.remove(object('a', 'x', '4'))?.metadata?.resourceVersion).toBe('3');
    expect(store.size).toBe(1);
  });

  it('replaceAll reports only what really changed', () => {
    const store = new ObjectStore();
    store.replaceAll([object('a', 'kept', '1'), object('a', 'changed', '1'), object('a', 'gone', '1')]);
    const changes = store.replaceAll([object('a', 'kept', '1'), object('a', 'changed', '2'), object('a', 'new', '5')]);
    expect(changes.added.map((o) => o.metadata?.name)).toEqual(['new']);
    expect(
      changes.updated.map((u) => [u.previous.metadata?.resourceVersion, u.current.metadata?.resourceVersion]),
    ).toEqual([['1', '2']]);
    expect(changes.deleted.map((o) => o.metadata?.name)).toEqual(['gone']);
    expect(store.keys().sort()).toEqual(['a/changed', 'a/kept', 'a/new']);
  });
});
