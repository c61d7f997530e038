import { describe, expect, it } from '@jest/globals';
import type { LoadSpec } from '../load-spec.ts';
import { planMeshSimulatorLoad } from './mesh-simulator-load.ts';
import { meshServiceTarget } from './service-target.ts';

describe('meshServiceTarget: which load URLs name a cluster Service', () => {
  it.each([
    ['http://backend-canary.webapp:9898/', { namespace: 'webapp', service: 'backend-canary' }],
    ['http://backend-canary.webapp/', { namespace: 'webapp', service: 'backend-canary' }],
    ['http://backend-canary.webapp.svc:9898/healthz', { namespace: 'webapp', service: 'backend-canary' }],
    ['http://backend-canary.webapp.svc.cluster.local:9898/', { namespace: 'webapp', service: 'backend-canary' }],
    ['http://backend-canary.webapp.svc.cluster.local.:9898/', { namespace: 'webapp', service: 'backend-canary' }],
    ['https://podinfo-canary.test.svc.corp.internal/', { namespace: 'test', service: 'podinfo-canary' }],
    ['http://Podinfo-Canary.Test:9898/', { namespace: 'test', service: 'podinfo-canary' }],
  ])('%s → %o', (url, target) => {
    expect(meshServiceTarget(url)).toEqual(target);
  });

  it.each([
    ['a bare name (its namespace is the load tester’s, unknown here)', 'http://backend-canary:9898/'],
    ['localhost', 'http://localhost:8080/'],
    ['an IPv4 address', 'http://127.0.0.1:8080/'],
    ['an IPv6 address', 'http://[::1]:8080/'],
    ['a third label other than svc', 'http://api.example.com/'],
    ['svc in the namespace position', 'http://backend.svc.cluster.local/'],
    ['a label that is not a DNS-1123 label', 'http://backend_canary.webapp/'],
    ['a non-HTTP scheme', 'ftp://backend-canary.webapp/'],
    ['not a URL', 'backend-canary.webapp'],
  ])('not a Service: %s', (_what, url) => {
    expect(meshServiceTarget(url)).toBeUndefined();
  });
});

describe('planMeshSimulatorLoad: the simulator load job a hey run becomes', () => {
  const seedHey: LoadSpec = {
    // hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/
    url: 'http://backend-canary.webapp:9898/',
    method: 'GET',
    headers: {},
    body: undefined,
    bodyFile: undefined,
    concurrency: 2,
    ratePerSecond: 20,
    durationMs: 60_000,
    requestCount: undefined,
    requestTimeoutMs: 20_000,
    keepAlive: true,
  };
  const target = { namespace: 'webapp', service: 'backend-canary' };

  it("the seed's hey -z 1m -q 10 -c 2 → 20 req/s for 60 s", () => {
    expect(planMeshSimulatorLoad(seedHey, target)).toEqual({
      ok: true,
      plan: {
        request: { namespace: 'webapp', service: 'backend-canary', rate: 20, durationSeconds: 60 },
        endReason: 'completed',
      },
    });
  });

  it('a request count (hey -n) lasts count ÷ rate', () => {
    const planned = planMeshSimulatorLoad({ ...seedHey, durationMs: undefined, requestCount: 300 }, target);
    expect(planned).toMatchObject({ ok: true, plan: { request: { rate: 20, durationSeconds: 15 } } });
  });

  it('the task timeout shortens the run, reported as timed-out', () => {
    expect(planMeshSimulatorLoad(seedHey, target, 30_000)).toMatchObject({
      ok: true,
      plan: { request: { durationSeconds: 30 }, endReason: 'timed-out' },
    });
  });

  it('rounds the rate to whole requests per second, at least 1', () => {
    expect(planMeshSimulatorLoad({ ...seedHey, ratePerSecond: 2.6 }, target)).toMatchObject({
      plan: { request: { rate: 3 } },
    });
  });

  it('refuses a load without a rate (hey without -q)', () => {
    const planned = planMeshSimulatorLoad({ ...seedHey, ratePerSecond: undefined }, target);
    expect(planned.ok).toBe(false);
    expect(planned.ok ? '' : planned.error).toMatch(/needs a rate/);
  });
});
