// /healthz, /readyz and /metrics served for real informers and a real leader election.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { informersSyncedCheck, leaderElectionCheck, startHealthServer } from '../src/http/index.ts';
import type { RunningHealthServer } from '../src/http/index.ts';
import { InformerGroup, createInformer } from '../src/informers/index.ts';
import { createKubeAccess, resourceTypes } from '../src/kube/index.ts';
import type { KubeAccess } from '../src/kube/index.ts';
import { LeaseLeaderElector } from '../src/leader/index.ts';
import { ControllerMetrics, PROMETHEUS_CONTENT_TYPE } from '../src/observability/index.ts';

/** Poll `check` until it returns a value, or fail at the deadline. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

let access: KubeAccess;
let server: RunningHealthServer;
let informers: InformerGroup;
let elector: LeaseLeaderElector;
let metrics: ControllerMetrics;
const namespace = `itest-http-${process.pid}-${Date.now().toString(36)}`;

async function fetchText(path: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, init);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

beforeAll(async () => {
  access = createKubeAccess();
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
  metrics = new ControllerMetrics({ version: '0.1.0-itest', meshProvider: 'istio' });
  informers = new InformerGroup();
  for (const type of [resourceTypes.configMap, resourceTypes.canary]) {
    const informer = informers.add(
      createInformer({ access, type, namespace, onRestart: (reason) => metrics.countInformerRestart(type, reason) }),
    );
    metrics.watchInformer(informer);
  }
  elector = new LeaseLeaderElector({
    access,
    namespace,
    identity: 'http-itest',
    leaseDurationMs: 3_000,
    renewDeadlineMs: 2_000,
    retryPeriodMs: 400,
  });
  metrics.watchLeadership(() => elector.isLeader());
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    metrics,
    readinessChecks: [informersSyncedCheck(informers), leaderElectionCheck(elector)],
  });
});

afterAll(async () => {
  await server?.close();
  await informers?.stopAll();
  await elector?.stop();
  await access?.delete(resourceTypes.namespace, { name: namespace });
});

describe('health server', () => {
  it('answers /healthz while the process runs', async () => {
    expect(await fetchText('/healthz')).toMatchObject({ status: 200, body: 'OK' });
  });

  it('is not ready before the informers synced and the elector observed the lease, ready after', async () => {
    const before = await fetchText('/readyz');
    expect(before.status).toBe(503);
    expect(before.body).toContain('[-]informers: waiting for configmaps, canaries.flagger.app');
    expect(before.body).toContain('[-]leader-election: lease not observed yet');
    expect(await metrics.render()).toContain('linnet_informer_synced{resource="configmaps"} 0\n');

    informers.startAll();
    elector.start();
    await informers.waitForSync(20_000);
    const ready = await eventually('readiness', async () => {
      const answer = await fetchText('/readyz');
      return answer.status === 200 && answer.body.includes('leading') ? answer : undefined;
    });
    expect(ready.body).toBe('[+]informers: all informers synced\n[+]leader-election: leading\nready\n');
  });

  it('serves Flagger and Linnet metrics in the Prometheus text format', async () => {
    const { status, type, body } = await fetchText('/metrics');
    expect(status).toBe(200);
    expect(type).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(body).toContain('flagger_info{version="0.1.0-itest",mesh_provider="istio"} 1\n');
    expect(body).toContain('# TYPE flagger_canary_duration_seconds histogram\n');
    expect(body).toContain('linnet_informer_synced{resource="canaries.flagger.app"} 1\n');
    expect(body).toContain('linnet_leader 1\n');
  });

  it('rejects other paths and methods', async () => {
    expect((await fetchText('/nope')).status).toBe(404);
    expect((await fetchText('/metrics', { method: 'POST' })).status).toBe(405);
  });
});
