// KubeAccess and the event recorder against the real local API server (started by the testenv global setup).
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AlreadyExistsError,
  ConflictError,
  KubeError,
  KubeEventRecorder,
  controllerReferenceTo,
  createKubeAccess,
  defineResourceType,
  resourceTypes,
} from '../src/kube/index.ts';
import type { KubeAccess, KubeEvent, KubeObject } from '../src/kube/index.ts';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
interface Canary extends KubeObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
interface Deployment extends KubeObject {
  spec?: { replicas?: number; [field: string]: unknown };
}
interface CoreEvent extends KubeObject {
  reason?: string;
  message?: string;
  reportingComponent?: string;
  involvedObject?: { uid?: string };
}

const configMaps = defineResourceType<ConfigMap>(resourceTypes.configMap);
const canaries = defineResourceType<Canary>(resourceTypes.canary);
const deployments = defineResourceType<Deployment>(resourceTypes.deployment);
const coreEvents = defineResourceType<CoreEvent>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
});
const events = defineResourceType<KubeEvent>(resourceTypes.event);

/** Poll `check` until it returns a value, or fail at the deadline. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

function testCanary(namespace: string, name: string): Canary {
  return {
    metadata: { namespace, name },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 },
    },
  };
}

let access: KubeAccess;
const namespace = `itest-kube-${process.pid}-${Date.now().toString(36)}`;

beforeAll(async () => {
  access = createKubeAccess();
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
});

afterAll(async () => {
  await access?.delete(resourceTypes.namespace, { name: namespace });
});

describe('KubeAccess on the real API server', () => {
  it('creates, gets, lists and deletes', async () => {
    const created = await access.create(configMaps, {
      metadata: { namespace, name: 'plain', labels: { suite: 'kube' } },
      data: { a: '1' },
    });
    expect(created.metadata?.uid).toBeTruthy();
    await expect(access.create(configMaps, { metadata: { namespace, name: 'plain' } })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    expect((await access.get(configMaps, { namespace, name: 'plain' }))?.data).toEqual({ a: '1' });
    expect(await access.get(configMaps, { namespace, name: 'missing' })).toBeUndefined();
    const listed = await access.list(configMaps, { namespace, labelSelector: 'suite=kube' });
    expect(listed.items.map((item) => [item.kind, item.metadata?.name])).toEqual([['ConfigMap', 'plain']]);
    expect(Number(listed.resourceVersion)).toBeGreaterThan(0);
    expect(await access.delete(configMaps, { namespace, name: 'plain' })).toBe(true);
    expect(await access.delete(configMaps, { namespace, name: 'plain' })).toBe(false);
  });

  it('follows list pages', async () => {
    const small = createKubeAccess({ listPageSize: 2 });
    for (const index of [1, 2, 3, 4, 5]) {
      await access.create(configMaps, { metadata: { namespace, name: `page-${index}`, labels: { suite: 'pages' } } });
    }
    const listed = await small.list(configMaps, { namespace, labelSelector: 'suite=pages' });
    expect(listed.items.map((item) => item.metadata?.name).sort()).toEqual([
      'page-1',
      'page-2',
      'page-3',
      'page-4',
      'page-5',
    ]);
  });

  it('server-side applies with field manager linnet: create, update, and removal of dropped fields', async () => {
    const owner = await access.create(canaries, testCanary(namespace, 'owner'));
    const first = await access.apply(configMaps, {
      metadata: { namespace, name: 'applied', ownerReferences: [controllerReferenceTo(owner)] },
      data: { kept: 'yes', dropped: 'soon' },
    });
    expect(first.data).toEqual({ kept: 'yes', dropped: 'soon' });
    expect(first.metadata?.managedFields?.map((entry) => [entry.manager, entry.operation])).toEqual([
      ['linnet', 'Apply'],
    ]);
    expect(first.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Canary', name: 'owner', controller: true });

    const second = await access.apply(configMaps, {
      metadata: { namespace, name: 'applied', ownerReferences: [controllerReferenceTo(owner)] },
      data: { kept: 'changed' },
    });
    expect(second.data).toEqual({ kept: 'changed' });
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));

    // Another manager's change to a field Linnet owns is taken back (force), as drift correction needs.
    await access.apply(
      configMaps,
      { metadata: { namespace, name: 'applied' }, data: { kept: 'drifted' } },
      {
        fieldManager: 'someone-else',
      },
    );
    const corrected = await access.apply(configMaps, {
      metadata: { namespace, name: 'applied', ownerReferences: [controllerReferenceTo(owner)] },
      data: { kept: 'changed' },
    });
    expect(corrected.data?.kept).toBe('changed');
  });

  it('writes status through the subresource and reports a stale resourceVersion as ConflictError', async () => {
    const canary = await access.create(canaries, testCanary(namespace, 'status'));
    const updated = await access.replaceStatus(canaries, {
      ...canary,
      spec: { ...canary.spec, suspend: true }, // ignored: the status subresource writes status only
      status: { phase: 'Initializing', failedChecks: 0 },
    });
    expect(updated.status).toMatchObject({ phase: 'Initializing', failedChecks: 0 });
    expect(updated.spec?.suspend).toBeUndefined();

    const stale = { ...canary, status: { phase: 'Progressing' } };
    const failure = await access.replaceStatus(canaries, stale).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toMatchObject({ reason: 'Conflict', statusCode: 409 });

    const reread = await access.get(canaries, { namespace, name: 'status' });
    expect(reread?.status?.phase).toBe('Initializing');
    await expect(
      access.replaceStatus(canaries, { ...canary, metadata: { ...canary.metadata, resourceVersion: undefined } }),
    ).rejects.toMatchObject({ reason: 'MissingResourceVersion' });
  });

  it('merge-patches (scaling a Deployment)', async () => {
    await access.create(deployments, {
      metadata: { namespace, name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'example.invalid/web:1' }] },
        },
      },
    });
    const scaled = await access.mergePatch(deployments, { namespace, name: 'web' }, { spec: { replicas: 0 } });
    expect(scaled.spec?.replicas).toBe(0);
    await expect(
      access.mergePatch(deployments, { namespace, name: 'absent' }, { spec: { replicas: 0 } }),
    ).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('maps invalid objects to a typed error', async () => {
    const failure = await access
      .create(configMaps, { metadata: { namespace, name: 'Not_A_Valid_Name' } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KubeError);
    expect(failure).toMatchObject({ reason: 'Invalid', statusCode: 422 });
  });

  it('records events.k8s.io events with reason Synced, folding repeats into a series', async () => {
    const canary = await access.create(canaries, testCanary(namespace, 'events'));
    // Without the repeat window, so the immediate repeat below is folded into the series rather than dropped.
    const recorder = new KubeEventRecorder({ access, reportingInstance: 'itest-replica', repeatWindowMs: 0 });
    await recorder.record(canary, { type: 'Normal', message: 'New revision detected! Scaling up podinfo.test' });
    await recorder.record(canary, { type: 'Warning', message: 'Halt advancement no values found', reason: 'Custom' });
    await recorder.record(canary, { type: 'Normal', message: 'New revision detected! Scaling up podinfo.test' });

    const written = (await access.list(events, { namespace })).items.filter(
      (event) => event.regarding.uid === canary.metadata?.uid,
    );
    expect(written).toHaveLength(2);
    const synced = written.find((event) => event.reason === 'Synced');
    expect(synced).toMatchObject({
      type: 'Normal',
      reportingController: 'linnet',
      reportingInstance: 'itest-replica',
      note: 'New revision detected! Scaling up podinfo.test',
      regarding: { kind: 'Canary', name: 'events', namespace },
      series: { count: 2 },
    });
    expect(written.find((event) => event.reason === 'Custom')?.type).toBe('Warning');

    // kubectl describe reads the core/v1 view of the same events.
    const core = await eventually('core/v1 view of the events', async () => {
      const list = await access.list(coreEvents, {
        namespace,
        fieldSelector: `involvedObject.uid=${canary.metadata?.uid ?? ''}`,
      });
      return list.items.length === 2 ? list.items : undefined;
    });
    expect(core.map((event) => event.reportingComponent)).toEqual(['linnet', 'linnet']);
  });
});
