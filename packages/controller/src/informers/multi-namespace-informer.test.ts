import { describe, expect, it } from '@jest/globals';
import type { KubeAccess, KubeObject, ListOptions, WatchEvent, WatchOptions } from '../kube/index.ts';
import { resourceTypes } from '../kube/index.ts';
import { createNamespacesInformer } from './multi-namespace-informer.ts';

const configMap = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name, resourceVersion: '1', uid: `${namespace}-${name}` },
});

/** Lists the objects of the namespace asked for; each watch stays open (no events) until aborted. */
function accessServing(objects: readonly KubeObject[], asked: Array<string | undefined>): KubeAccess {
  return {
    list: (_type: unknown, options?: ListOptions) => {
      asked.push(options?.namespace);
      const items = objects.filter((object) => object.metadata?.namespace === options?.namespace);
      return Promise.resolve({ items, resourceVersion: '1' });
    },
    watch: (_type: unknown, options: WatchOptions): AsyncIterable<WatchEvent<KubeObject>> => ({
      [Symbol.asyncIterator]: () => ({
        next: () =>
          new Promise<IteratorResult<WatchEvent<KubeObject>>>((resolve) =>
            options.signal?.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true }),
          ),
      }),
    }),
  } as unknown as KubeAccess;
}

describe('createNamespacesInformer', () => {
  it('watches each listed namespace and reads them as one store, with one set of handlers', async () => {
    const asked: Array<string | undefined> = [];
    const objects = [configMap('apps', 'a'), configMap('payments', 'b'), configMap('other', 'c')];
    const informer = createNamespacesInformer(
      { access: accessServing(objects, asked), type: resourceTypes.configMap },
      ['apps', 'payments'],
    );
    const added: string[] = [];
    informer.addHandler({ onAdd: (object) => added.push(`${object.metadata?.namespace}/${object.metadata?.name}`) });
    informer.start();
    await informer.waitForSync(5_000);
    try {
      expect(asked.sort()).toEqual(['apps', 'payments']);
      expect(informer.hasSynced()).toBe(true);
      expect(added.sort()).toEqual(['apps/a', 'payments/b']);
      const { store } = informer;
      expect(store.size).toBe(2);
      expect(store.keys().sort()).toEqual(['apps/a', 'payments/b']);
      expect(store.get('payments', 'b')?.metadata?.uid).toBe('payments-b');
      expect(store.getByKey('apps/a')?.metadata?.uid).toBe('apps-a');
      expect(store.get('other', 'c')).toBeUndefined();
      expect(store.list('apps').map((object) => object.metadata?.name)).toEqual(['a']);
      expect(store.list()).toHaveLength(2);
      expect(informer.stats()).toMatchObject({ lists: 2, resourceVersion: 'apps=1,payments=1' });
    } finally {
      await informer.stop();
    }
  });

  it('is a plain informer for one namespace or all', async () => {
    const asked: Array<string | undefined> = [];
    for (const namespaces of [['apps'], []]) {
      const informer = createNamespacesInformer(
        { access: accessServing([], asked), type: resourceTypes.configMap },
        namespaces,
      );
      informer.start();
      await informer.waitForSync(5_000);
      await informer.stop();
    }
    expect(asked).toEqual(['apps', undefined]);
  });
});
