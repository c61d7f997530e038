import { describe, it, expect } from '@jest/globals';
import {
  KubeResourceCache,
  type ListResult,
  type ResourceEndpoint,
  type WatchFunction,
} from './kube-resource-cache.ts';

interface FakeWatch {
  path: string;
  query: Record<string, string | number | boolean>;
  emit(type: string, object: unknown): void;
  end(error: unknown): void;
}

/** A scripted API server: lists come from `lists`, watches are recorded so the test can drive them. */
function fakeServer(): {
  endpoint(version: string, list: () => Promise<ListResult>): ResourceEndpoint;
  watch: WatchFunction;
  watches: FakeWatch[];
  nextWatch(): Promise<FakeWatch>;
  failWatches: boolean;
} {
  const watches: FakeWatch[] = [];
  const waiters: ((w: FakeWatch) => void)[] = [];
  const server = {
    watches,
    failWatches: false,
    endpoint: (version: string, list: () => Promise<ListResult>): ResourceEndpoint => ({
      description: version,
      watchPath: `/apis/x/${version}/things`,
      list,
    }),
    watch: (async (path, query, onEvent, onDone) => {
      if (server.failWatches) {
        onDone(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
        return { abort: () => undefined };
      }
      const w: FakeWatch = { path, query, emit: onEvent, end: onDone };
      watches.push(w);
      waiters.shift()?.(w);
      return { abort: () => onDone(null) };
    }) satisfies WatchFunction,
    nextWatch: (): Promise<FakeWatch> => new Promise((resolve) => waiters.push(resolve)),
  };
  return server;
}

const thing = (name: string, resourceVersion: string, value = name): unknown => ({
  metadata: { namespace: 'ns', name, resourceVersion },
  value,
});
const convert = (o: unknown): string | undefined => (o as { value?: string }).value;

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}

describe('KubeResourceCache', () => {
  it('lists, then applies watch events from the list resourceVersion', async () => {
    const server = fakeServer();
    const endpoint = server.endpoint('v1', async () => ({ items: [thing('a', '1')], resourceVersion: '10' }));
    const cache = new KubeResourceCache({
      name: 't',
      endpoints: [endpoint],
      convert,
      watch: server.watch,
      pollIntervalMs: 5,
      log: () => undefined,
    });
    const watchOpened = server.nextWatch();
    cache.start();
    const w = await watchOpened;
    expect(cache.synced).toBe(true);
    expect(cache.values()).toEqual(['a']);
    expect(w.query).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 20 });
    const revision = cache.revision;
    w.emit('ADDED', thing('b', '11'));
    w.emit('MODIFIED', thing('a', '12', 'a2'));
    w.emit('MODIFIED', thing('a', '13', 'a2')); // no visible change
    w.emit('BOOKMARK', { metadata: { resourceVersion: '14' } });
    expect(cache.values().sort()).toEqual(['a2', 'b']);
    expect(cache.revision).toBe(revision + 2);
    w.emit('DELETED', thing('b', '15'));
    expect(cache.values()).toEqual(['a2']);
    // A clean close (server timeout) resumes from the last seen resourceVersion, without re-listing.
    const resumed = server.nextWatch();
    w.end(null);
    expect((await resumed).query['resourceVersion']).toBe('15');
    expect(cache.mode).toBe('watch');
    await cache.stop();
  });

  it('falls back to the next served version, and reads an unserved resource as empty', async () => {
    const server = fakeServer();
    const notFound = async (): Promise<ListResult> => {
      throw Object.assign(new Error('Not Found'), { code: 404 });
    };
    const v1beta1 = server.endpoint('v1beta1', async () => ({ items: [thing('vs', '3')], resourceVersion: '3' }));
    const served = new KubeResourceCache({
      name: 'vs',
      endpoints: [server.endpoint('v1', notFound), v1beta1],
      convert,
      watch: server.watch,
      pollIntervalMs: 5,
      log: () => undefined,
    });
    const opened = server.nextWatch();
    served.start();
    expect((await opened).path).toBe('/apis/x/v1beta1/things');
    expect(served.values()).toEqual(['vs']);
    await served.stop();

    const unserved = new KubeResourceCache({
      name: 'vs',
      endpoints: [server.endpoint('v1', notFound)],
      convert,
      watch: server.watch,
      pollIntervalMs: 5,
      log: () => undefined,
    });
    unserved.start();
    await until(() => unserved.synced);
    expect(unserved.mode).toBe('not-served');
    expect(unserved.values()).toEqual([]);
    await unserved.stop();
  });

  it('polls by re-listing when watches fail', async () => {
    const server = fakeServer();
    server.failWatches = true;
    let lists = 0;
    const endpoint = server.endpoint('v1', async () => {
      lists++;
      return { items: [thing(`item${lists}`, String(lists))], resourceVersion: String(lists) };
    });
    const messages: string[] = [];
    const cache = new KubeResourceCache({
      name: 't',
      endpoints: [endpoint],
      convert,
      watch: server.watch,
      pollIntervalMs: 1,
      log: (m) => messages.push(m),
    });
    cache.start();
    await until(() => lists >= 3);
    expect(cache.mode).toBe('poll');
    expect(cache.values()[0]).toMatch(/^item\d+$/);
    expect(messages.filter((m) => m.includes('polling'))).toHaveLength(1);
    await cache.stop();
  });

  it('re-lists after a 410 Gone watch error', async () => {
    const server = fakeServer();
    let lists = 0;
    const endpoint = server.endpoint('v1', async () => ({ items: [], resourceVersion: String(++lists) }));
    const cache = new KubeResourceCache({
      name: 't',
      endpoints: [endpoint],
      convert,
      watch: server.watch,
      pollIntervalMs: 1,
      log: () => undefined,
    });
    const first = server.nextWatch();
    cache.start();
    const w = await first;
    const second = server.nextWatch();
    w.emit('ERROR', { kind: 'Status', code: 410 });
    w.end(null);
    expect((await second).query['resourceVersion']).toBe('2');
    expect(lists).toBe(2);
    await cache.stop();
  });
});
