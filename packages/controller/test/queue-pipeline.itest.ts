// Watch events → work queue → workers, on the real API server: every change is reconciled from the cache, no key
// runs twice at once, and the last reconcile of each key sees its last state.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createInformer } from '../src/informers/index.ts';
import { createKubeAccess, defineResourceType, objectKeyOf, parseObjectKey, resourceTypes } from '../src/kube/index.ts';
import type { KubeAccess, KubeObject } from '../src/kube/index.ts';
import { DelayingWorkQueue, runWorkers } from '../src/queue/index.ts';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
const configMaps = defineResourceType<ConfigMap>(resourceTypes.configMap);

/** Poll `check` until it returns a value, or fail at the deadline. */
async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

let access: KubeAccess;
const namespace = `itest-queue-${process.pid}-${Date.now().toString(36)}`;

beforeAll(async () => {
  access = createKubeAccess();
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
});

afterAll(async () => {
  await access?.delete(resourceTypes.namespace, { name: namespace });
});

describe('informer → queue → workers', () => {
  it('reconciles every key to its final state, one worker per key at a time', async () => {
    const informer = createInformer({ access, type: configMaps, namespace });
    const queue = new DelayingWorkQueue({ retryBackoff: { baseDelayMs: 20, maxDelayMs: 200 } });
    const enqueue = (object: ConfigMap): void => queue.add(objectKeyOf(object));
    informer.addHandler({ onAdd: enqueue, onUpdate: (_previous, current) => enqueue(current), onDelete: enqueue });

    const inFlight = new Set<string>();
    let overlaps = 0;
    const lastSeen = new Map<string, string>();
    const failedOnce = new Set<string>();
    const workers = runWorkers({
      queue,
      workers: 3,
      async reconcile(key) {
        if (inFlight.has(key)) overlaps++;
        inFlight.add(key);
        try {
          // Yield so that concurrent runs could interleave if the queue allowed them.
          await delay(5);
          const { namespace: ns, name } = parseObjectKey(key);
          if (name === 'flaky-0' && !failedOnce.has(key)) {
            failedOnce.add(key);
            throw new Error('transient failure');
          }
          lastSeen.set(key, informer.store.get(ns, name)?.data?.version ?? 'deleted');
        } finally {
          inFlight.delete(key);
        }
      },
    });
    informer.start();
    await informer.waitForSync(20_000);

    const names = ['flaky-0', ...Array.from({ length: 7 }, (_, index) => `cm-${index}`)];
    await Promise.all(
      names.map((name) => access.create(configMaps, { metadata: { namespace, name }, data: { version: '0' } })),
    );
    for (const version of ['1', '2', '3']) {
      await Promise.all(names.map((name) => access.mergePatch(configMaps, { namespace, name }, { data: { version } })));
    }
    await access.delete(configMaps, { namespace, name: 'cm-6' });

    const expected = new Map(names.map((name) => [`${namespace}/${name}`, name === 'cm-6' ? 'deleted' : '3']));
    await eventually('every key reconciled to its final state', () =>
      [...expected].every(([key, version]) => lastSeen.get(key) === version) ? true : undefined,
    );
    expect(overlaps).toBe(0);
    expect(failedOnce.size).toBe(1);
    expect(queue.failureCount(`${namespace}/flaky-0`)).toBe(0);

    queue.shutDown();
    await workers;
    await informer.stop();
  });
});
