import { describe, it, expect } from '@jest/globals';
import type { LoadJob } from './load-jobs.ts';
import { flaggerCanary, weightedRoute } from './test-fixtures.ts';
import { buildTrafficPlan, MESH_SOURCE_WORKLOAD, type TrafficPlan } from './traffic-plan.ts';

const options = { defaultRatePerSecond: 10, defaultMatchFraction: 0.1 };

function ratesByWorkload(plan: TrafficPlan): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const flow of plan.flows)
    rates[flow.destination.workload] = (rates[flow.destination.workload] ?? 0) + flow.ratePerSecond;
  return rates;
}

describe('buildTrafficPlan', () => {
  it('attributes VirtualService traffic to the Deployments behind the weighted hosts', () => {
    const plan = buildTrafficPlan(flaggerCanary('test', [weightedRoute('backend', 60, 40)]), [], options);
    expect(ratesByWorkload(plan)).toEqual({ 'backend-primary': 6, backend: 4 });
    const canaryFlow = plan.flows.find((f) => f.destination.workload === 'backend');
    expect(canaryFlow).toMatchObject({
      source: { workload: MESH_SOURCE_WORKLOAD, namespace: 'test' },
      destination: {
        namespace: 'test',
        workload: 'backend',
        app: 'backend',
        version: 'unknown',
        canonicalService: 'backend',
      },
      destinationService: { namespace: 'test', name: 'backend-canary' },
    });
    expect(plan.problems).toEqual([]);
  });

  it('reads per-VirtualService rate and match fraction annotations', () => {
    const ab = [
      {
        match: [{ headers: { 'x-user': { exact: 'beta' } } }],
        route: [{ destination: { host: 'backend-canary' }, weight: 100 }],
      },
      { route: [{ destination: { host: 'backend-primary' }, weight: 0 }] },
    ];
    const plan = buildTrafficPlan(
      flaggerCanary('test', ab, {
        vsAnnotations: { 'sim.linnet.dev/rate': '40', 'sim.linnet.dev/match-fraction': '0.25' },
      }),
      [],
      options,
    );
    expect(ratesByWorkload(plan)).toEqual({ 'backend-primary': 30, backend: 10 });
    expect(plan.virtualServices[0]).toMatchObject({ ratePerSecond: 40, matchFraction: 0.25 });
  });

  it('counts mirrored requests for the mirror workload', () => {
    const http = [
      { ...weightedRoute('backend', 100, 0), mirror: { host: 'backend-canary' }, mirrorPercentage: { value: 50 } },
    ];
    expect(ratesByWorkload(buildTrafficPlan(flaggerCanary('test', http), [], options))).toEqual({
      'backend-primary': 10,
      backend: 5,
    });
  });

  it('sends nothing to a workload without ready replicas and says why', () => {
    const plan = buildTrafficPlan(
      flaggerCanary('test', [weightedRoute('backend', 50, 50)], { canaryReady: 0 }),
      [],
      options,
    );
    expect(ratesByWorkload(plan)).toEqual({ 'backend-primary': 5 });
    expect(plan.problems.join('\n')).toContain('no ready Deployment behind backend-canary');
  });

  it('reports hosts that are not cluster Services', () => {
    const plan = buildTrafficPlan(
      flaggerCanary('test', [{ route: [{ destination: { host: 'api.example.com' } }] }]),
      [],
      options,
    );
    expect(plan.flows).toEqual([]);
    expect(plan.problems.join('\n')).toContain('api.example.com is not a cluster Service');
  });

  it('adds load-job flows straight to the Service workload, bounded by the job window', () => {
    const job: LoadJob = {
      id: 'load-1',
      namespace: 'test',
      service: 'backend-canary',
      rate: 7,
      durationSeconds: 60,
      sourceWorkload: 'loadtester',
      sourceNamespace: 'test',
      startedAtMs: 1000,
      endsAtMs: 61_000,
    };
    const plan = buildTrafficPlan(flaggerCanary('test', [weightedRoute('backend', 100, 0)]), [job], options);
    expect(ratesByWorkload(plan)).toEqual({ 'backend-primary': 10, backend: 7 });
    expect(plan.flows.find((f) => f.destination.workload === 'backend')).toMatchObject({
      source: { workload: 'loadtester', namespace: 'test' },
      activeFromMs: 1000,
      activeUntilMs: 61_000,
    });
  });

  it('summarises each workload with the P99 Flagger will read from the histogram', () => {
    const plan = buildTrafficPlan(
      flaggerCanary('test', [weightedRoute('backend', 100, 0)], {
        primaryAnnotations: { 'sim.linnet.dev/latency-ms': '50', 'sim.linnet.dev/latency-p99-ms': '100' },
      }),
      [],
      options,
    );
    expect(plan.workloads).toHaveLength(1);
    expect(plan.workloads[0]).toMatchObject({ workload: 'backend-primary', ratePerSecond: 10, latencyP99Ms: 100 });
    expect(plan.workloads[0]?.expectedHistogramP99Ms).toBeCloseTo(100, 3);
  });

  it('orders flows by key so seeded state is assigned identically on every run', () => {
    const plan = buildTrafficPlan(flaggerCanary('test', [weightedRoute('backend', 50, 50)]), [], options);
    const keys = plan.flows.map((f) => f.key);
    expect(keys).toEqual([...keys].sort());
  });
});
