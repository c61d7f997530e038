import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createSimulatorServer } from './http-server.ts';
import { LoadJobs } from './load-jobs.ts';
import { seededRandom } from './random.ts';
import { MeshSimulator } from './simulator.ts';
import { flaggerCanary, weightedRoute } from './test-fixtures.ts';

describe('simulator HTTP interface', () => {
  let server: Server;
  let base = '';
  let ready = false;
  let now = 1_000;
  const loadJobs = new LoadJobs();
  const simulator = new MeshSimulator({
    planOptions: { defaultRatePerSecond: 10, defaultMatchFraction: 0.1 },
    random: seededRandom(1),
    loadJobs,
  });

  beforeAll(async () => {
    server = createSimulatorServer({
      simulator,
      loadJobs,
      clock: () => now,
      readiness: () => ({ ready, detail: { caches: [] } }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reports readiness on /healthz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    ready = true;
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', caches: [] });
  });

  it('serves the Prometheus text format on /metrics', async () => {
    const snapshot = flaggerCanary('test', [weightedRoute('backend', 100, 0)]);
    for (let t = 0; t <= 2_000; t += 200) simulator.tick(t, snapshot);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('istio_requests_total{reporter="destination"');
  });

  it('creates, lists and deletes load jobs', async () => {
    const created = await fetch(`${base}/load`, {
      method: 'POST',
      body: JSON.stringify({ namespace: 'test', service: 'backend-canary', rate: 5, durationSeconds: 30 }),
    });
    expect(created.status).toBe(201);
    const job = (await created.json()) as { id: string; endsAt: string };
    expect(job.endsAt).toBe(new Date(31_000).toISOString());
    const listed = (await (await fetch(`${base}/load`)).json()) as { jobs: { id: string }[] };
    expect(listed.jobs.map((j) => j.id)).toEqual([job.id]);
    expect((await fetch(`${base}/load/${job.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${base}/load/${job.id}`, { method: 'DELETE' })).status).toBe(404);
    now = 2_000;
  });

  it('rejects bad load requests with a reason', async () => {
    const bad = await fetch(`${base}/load`, {
      method: 'POST',
      body: JSON.stringify({ namespace: 'test', service: 'x', rate: -1, durationSeconds: 1 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('rate');
    expect((await fetch(`${base}/load`, { method: 'POST', body: '{' })).status).toBe(400);
    expect((await fetch(`${base}/load`, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('shows the plan on /debug/plan', async () => {
    const plan = (await (await fetch(`${base}/debug/plan`)).json()) as {
      workloads: { workload: string; ratePerSecond: number }[];
    };
    expect(plan.workloads).toEqual([expect.objectContaining({ workload: 'backend-primary', ratePerSecond: 10 })]);
  });
});
