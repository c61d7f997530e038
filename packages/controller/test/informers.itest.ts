// The supervised informer against the real API server: events, cache, broken watches, relists, resync.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createInformer } from '../src/informers/index.ts';
import type { InformerOptions, SupervisedInformer } from '../src/informers/index.ts';
import { GoneError, createKubeAccess, defineResourceType, resourceTypes } from '../src/kube/index.ts';
import type { KubeAccess, KubeObject, ResourceType, WatchEvent, WatchOptions } from '../src/kube/index.ts';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
interface Canary extends KubeObject {
  spec?: Record<string, unknown>;
}
const configMaps = defineResourceType<ConfigMap>(resourceTypes.configMap);
const canaries = defineResourceType<Canary>(resourceTypes.canary);

/** Poll `check` until it returns a value, or fail at the deadline. */
async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

/** Every handler call, as "kind:name:resourceVersion" lines. */
class Recorded {
  readonly calls: string[] = [];
  has(kind: string, name: string): true | undefined {
    return this.calls.some((call) => call.startsWith(`${kind}:${name}:`)) ? true : undefined;
  }
  count(kind: string, name?: string): number {
    return this.calls.filter((call) => call.startsWith(name ? `${kind}:${name}:` : `${kind}:`)).length;
  }
}

/** The real KubeAccess, except that the next watch fails with 410 Gone when asked to. */
class GoneInjectingAccess implements KubeAccess {
  private readonly real: KubeAccess;
  private goneNext = false;
  constructor(real: KubeAccess) {
    this.real = real;
  }
  answerNextWatchWithGone(): void {
    this.goneNext = true;
  }
  async *watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions): AsyncGenerator<WatchEvent<T>> {
    if (this.goneNext) {
      this.goneNext = false;
      throw new GoneError('watch: too old resource version (injected)');
    }
    yield* this.real.watch(type, options);
  }
  get: KubeAccess['get'] = (type, locator, options) => this.real.get(type, locator, options);
  list: KubeAccess['list'] = (type, options) => this.real.list(type, options);
  create: KubeAccess['create'] = (type, object, options) => this.real.create(type, object, options);
  apply: KubeAccess['apply'] = (type, object, options) => this.real.apply(type, object, options);
  replace: KubeAccess['replace'] = (type, object, options) => this.real.replace(type, object, options);
  replaceStatus: KubeAccess['replaceStatus'] = (type, object, options) =>
    this.real.replaceStatus(type, object, options);
  mergePatch: KubeAccess['mergePatch'] = (type, locator, patch, options) =>
    this.real.mergePatch(type, locator, patch, options);
  delete: KubeAccess['delete'] = (type, locator, options) => this.real.delete(type, locator, options);
}

let access: KubeAccess;
const namespace = `itest-informers-${process.pid}-${Date.now().toString(36)}`;
const running: Array<SupervisedInformer<KubeObject>> = [];

function startInformer<T extends KubeObject>(
  type: ResourceType<T>,
  options: Partial<InformerOptions<T>> = {},
): { informer: SupervisedInformer<T>; recorded: Recorded } {
  const informer = createInformer<T>({ access, type, namespace, resyncPeriodMs: 0, ...options });
  const recorded = new Recorded();
  const line = (kind: string, object: T): string =>
    `${kind}:${object.metadata?.name ?? '?'}:${object.metadata?.resourceVersion ?? '?'}`;
  informer.addHandler({
    onAdd: (object) => recorded.calls.push(line('add', object)),
    onUpdate: (_previous, current) => recorded.calls.push(line('update', current)),
    onDelete: (object) => recorded.calls.push(line('delete', object)),
    onResync: (object) => recorded.calls.push(line('resync', object)),
  });
  informer.start();
  running.push(informer as unknown as SupervisedInformer<KubeObject>);
  return { informer, recorded };
}

/** The cache holds exactly what the API lists (names and versions). */
async function expectCacheMatchesApi<T extends KubeObject>(informer: SupervisedInformer<T>): Promise<void> {
  const describe = (objects: KubeObject[]): string[] =>
    objects.map((object) => `${object.metadata?.name ?? ''}@${object.metadata?.resourceVersion ?? ''}`).sort();
  await eventually('cache to match the API', async () => {
    const listed = await access.list(informer.type, { namespace });
    return JSON.stringify(describe(informer.store.list())) === JSON.stringify(describe(listed.items))
      ? true
      : undefined;
  });
}

beforeAll(async () => {
  access = createKubeAccess();
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((informer) => informer.stop()));
});

afterAll(async () => {
  await access?.delete(resourceTypes.namespace, { name: namespace });
});

describe('SupervisedInformer on the real API server', () => {
  it('lists, then sees create, update and delete of ConfigMaps; the cache matches the API', async () => {
    await access.create(configMaps, { metadata: { namespace, name: 'before' }, data: { v: '0' } });
    const { informer, recorded } = startInformer(configMaps);
    await informer.waitForSync(20_000);
    expect(informer.hasSynced()).toBe(true);
    expect(informer.store.get(namespace, 'before')?.data).toEqual({ v: '0' });
    expect(recorded.has('add', 'before')).toBe(true);

    await access.create(configMaps, { metadata: { namespace, name: 'cm' }, data: { v: '1' } });
    await eventually('add of cm', () => recorded.has('add', 'cm'));
    await access.mergePatch(configMaps, { namespace, name: 'cm' }, { data: { v: '2' } });
    await eventually('update of cm', () => recorded.has('update', 'cm'));
    expect(informer.store.get(namespace, 'cm')?.data).toEqual({ v: '2' });
    await access.delete(configMaps, { namespace, name: 'cm' });
    await eventually('delete of cm', () => recorded.has('delete', 'cm'));
    expect(informer.store.get(namespace, 'cm')).toBeUndefined();
    await expectCacheMatchesApi(informer);
  });

  it('sees a custom resource (Canary) come and go', async () => {
    const { informer, recorded } = startInformer(canaries);
    await informer.waitForSync(20_000);
    await access.create(canaries, {
      metadata: { namespace, name: 'podinfo' },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
        service: { port: 9898 },
        analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 },
      },
    });
    await eventually('add of the canary', () => recorded.has('add', 'podinfo'));
    expect(informer.store.get(namespace, 'podinfo')?.kind).toBe('Canary');
    await access.mergePatch(canaries, { namespace, name: 'podinfo' }, { spec: { suspend: true } });
    await eventually('update of the canary', () => recorded.has('update', 'podinfo'));
    expect(informer.store.get(namespace, 'podinfo')?.spec?.suspend).toBe(true);
    await access.delete(canaries, { namespace, name: 'podinfo' });
    await eventually('delete of the canary', () => recorded.has('delete', 'podinfo'));
    await expectCacheMatchesApi(informer);
  });

  it('honours a label selector', async () => {
    const { informer, recorded } = startInformer(configMaps, { labelSelector: 'pick=yes' });
    await informer.waitForSync(20_000);
    await access.create(configMaps, { metadata: { namespace, name: 'ignored', labels: { pick: 'no' } } });
    await access.create(configMaps, { metadata: { namespace, name: 'picked', labels: { pick: 'yes' } } });
    await eventually('add of the labelled ConfigMap', () => recorded.has('add', 'picked'));
    expect(informer.store.get(namespace, 'ignored')).toBeUndefined();
    expect(recorded.has('add', 'ignored')).toBeUndefined();
  });

  it('resumes after its watch is broken and misses nothing', async () => {
    const { informer, recorded } = startInformer(configMaps);
    await informer.waitForSync(20_000);
    // An event proves the watch is established before it is broken.
    await access.create(configMaps, { metadata: { namespace, name: 'before-break' } });
    await eventually('add before the break', () => recorded.has('add', 'before-break'));
    informer.interruptWatch();
    await access.create(configMaps, { metadata: { namespace, name: 'after-break' } });
    await eventually('add after the break', () => recorded.has('add', 'after-break'));
    expect(informer.stats()).toMatchObject({ lists: 1, lastRestartReason: 'Interrupted' });
    expect(informer.stats().watches).toBeGreaterThanOrEqual(2);
    await expectCacheMatchesApi(informer);
  });

  it('relists when a watch answers 410 Gone', async () => {
    // A fresh API server still has every resourceVersion (etcd compacts after minutes and the watch cache falls back
    // to etcd), so 410 cannot be provoked on demand: the real access is wrapped to answer the next watch with it.
    const faulty = new GoneInjectingAccess(access);
    const restarts: string[] = [];
    const { informer, recorded } = startInformer(configMaps, {
      access: faulty,
      onRestart: (reason) => restarts.push(reason),
    });
    await informer.waitForSync(20_000);
    faulty.answerNextWatchWithGone();
    informer.interruptWatch();
    await eventually('a relist', () => (informer.stats().lists >= 2 ? true : undefined));
    expect(restarts).toEqual(['Interrupted', 'Gone']);
    await access.create(configMaps, { metadata: { namespace, name: 'after-relist' } });
    await eventually('add after the relist', () => recorded.has('add', 'after-relist'));
    await expectCacheMatchesApi(informer);
  });

  it('catches up by relisting after being stopped: deletions and changes made meanwhile are reported', async () => {
    await access.create(configMaps, { metadata: { namespace, name: 'doomed' } });
    await access.create(configMaps, { metadata: { namespace, name: 'changing' }, data: { v: '1' } });
    const { informer, recorded } = startInformer(configMaps);
    await informer.waitForSync(20_000);
    await informer.stop();
    await access.delete(configMaps, { namespace, name: 'doomed' });
    await access.mergePatch(configMaps, { namespace, name: 'changing' }, { data: { v: '2' } });
    await access.create(configMaps, { metadata: { namespace, name: 'newcomer' } });
    informer.start();
    await eventually('relist after restart', () =>
      recorded.has('delete', 'doomed') && recorded.has('update', 'changing') && recorded.has('add', 'newcomer')
        ? true
        : undefined,
    );
    expect(informer.store.get(namespace, 'changing')?.data).toEqual({ v: '2' });
    await expectCacheMatchesApi(informer);
  });

  it('keeps working across short server-side watch timeouts', async () => {
    const restarts: string[] = [];
    const { informer, recorded } = startInformer(configMaps, {
      watchTimeoutSeconds: 1,
      onRestart: (reason) => restarts.push(reason),
    });
    await informer.waitForSync(20_000);
    await eventually('two server-side watch ends', () =>
      restarts.filter((reason) => reason === 'ServerClosed').length >= 2 ? true : undefined,
    );
    await access.create(configMaps, { metadata: { namespace, name: 'across-timeouts' } });
    await eventually('add across timeouts', () => recorded.has('add', 'across-timeouts'));
    expect(informer.stats().lists).toBe(1);
  });

  it('restarts a silent watch through the inactivity watchdog', async () => {
    const { informer } = startInformer(configMaps, {
      namespace: `${namespace}-quiet`, // nothing happens there
      inactivityTimeoutMs: 500,
      watchTimeoutSeconds: 60,
    });
    await informer.waitForSync(20_000);
    await eventually('a watchdog restart', () =>
      informer.stats().lastRestartReason === 'WatchdogTimeout' ? true : undefined,
    );
    expect(informer.stats().lists).toBe(1);
  });

  it('re-emits every cached object on each resync', async () => {
    await access.create(configMaps, { metadata: { namespace, name: 'resynced' } });
    const { informer, recorded } = startInformer(configMaps, { resyncPeriodMs: 200 });
    await informer.waitForSync(20_000);
    await eventually('two resyncs of the object', () => (recorded.count('resync', 'resynced') >= 2 ? true : undefined));
    expect(recorded.count('resync')).toBeGreaterThanOrEqual(informer.store.size);
  });

  it('stays alive, unsynced and retrying with backoff while the list keeps failing', async () => {
    // The server does not serve this resource, so every list fails with 404.
    const missing = defineResourceType({
      group: 'itest.linnet.dev',
      version: 'v1',
      kind: 'Missing',
      plural: 'missings',
      namespaced: true,
    });
    const { informer } = startInformer(missing, { backoff: { initialDelayMs: 50, maxDelayMs: 200 } });
    await eventually('three failed attempts', () => (informer.stats().restarts >= 3 ? true : undefined));
    expect(informer.hasSynced()).toBe(false);
    expect(informer.stats().lastError?.reason).toBe('NotFound');
    await expect(informer.waitForSync(100)).rejects.toMatchObject({ reason: 'InformerSyncTimeout' });
  });
});
