// The mesh simulator end to end: real Deployments, Services and an Istio VirtualService on the local control plane,
// the simulator (started by the testenv) turning them into istio_* series, Prometheus scraping them every second —
// and Flagger's exact builtin Istio queries (flagger-behaviour.md §6.1) reading back the configured behaviour.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { expectedHistogramQuantile } from '../src/mesh-simulator/istio-histogram.ts';
import { logNormalFromMedianAndP99 } from '../src/mesh-simulator/latency-distribution.ts';
import { waitFor } from '../src/wait.ts';
import { createNamespace, deleteNamespaceAndWait, kubeClients, type KubeClients } from './kube-clients.ts';

// Hooks and tests wait on the cluster and on Prometheus windows filling up (~35 s per phase).
jest.setTimeout(150_000);

/** Flagger's analysis window for these checks; its default is 1m, 30 s keeps the test short. */
const INTERVAL = '30s';
const WINDOW_SECONDS = 30;
/** Requests per second entering the VirtualService (its sim.linnet.dev/rate annotation; the CLI default is 10). */
const VS_RATE = 40;
const LOAD_RATE = 10;

const PRIMARY = { errorRate: 0.05, medianMs: 40, p99Ms: 80 };
const CANARY = { errorRate: 0.1, medianMs: 100, p99Ms: 200 };

/** Flagger v1.44 Istio request-success-rate, rendered as Flagger sends it (whitespace collapsed). */
function successRateQuery(namespace: string, target: string, interval: string): string {
  return `sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="${namespace}",destination_workload=~"${target}",response_code!~"5.*"}[${interval}]))
/
sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="${namespace}",destination_workload=~"${target}"}[${interval}]))
* 100`.replace(/\s+/g, ' ');
}

/** Flagger v1.44 Istio request-duration (P99, milliseconds). */
function durationQuery(namespace: string, target: string, interval: string): string {
  return `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="${namespace}",destination_workload=~"${target}"}[${interval}])) by (le))`;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the integration project runs packages/testenv global setup`);
  return value;
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Instant query; `time` (seconds) pins the evaluation instant so several queries see the same data. */
async function promQuery(query: string, time?: number): Promise<PromSample[]> {
  const url = new URL('/api/v1/query', requiredEnv('PROMETHEUS_URL'));
  url.searchParams.set('query', query);
  if (time !== undefined) url.searchParams.set('time', String(time));
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: PromSample[] } };
  if (body.status !== 'success' || !body.data)
    throw new Error(`query failed: ${body.error ?? response.status}: ${query}`);
  return body.data.result;
}

/** Like Flagger: the value of the last series; undefined for "no values" (empty vector or NaN). */
async function promValue(query: string, time: number): Promise<number | undefined> {
  const value = Number((await promQuery(query, time)).at(-1)?.value[1]);
  return Number.isNaN(value) ? undefined : value;
}

interface PlanWorkload {
  namespace: string;
  workload: string;
  ratePerSecond: number;
  expectedHistogramP99Ms: number;
}

async function simulatorPlan(): Promise<{ workloads: PlanWorkload[]; problems: string[] }> {
  const response = await fetch(new URL('/debug/plan', requiredEnv('MESH_SIMULATOR_URL')));
  return (await response.json()) as { workloads: PlanWorkload[]; problems: string[] };
}

function deployment(name: string, behaviour: typeof PRIMARY): V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels,
          annotations: {
            'sim.linnet.dev/error-rate': String(behaviour.errorRate),
            'sim.linnet.dev/latency-ms': String(behaviour.medianMs),
            'sim.linnet.dev/latency-p99-ms': String(behaviour.p99Ms),
          },
        },
        spec: { containers: [{ name: 'app', image: 'fake/backend:1.0.0' }] },
      },
    },
  };
}

function service(name: string, app: string): V1Service {
  return { metadata: { name }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
}

/** What Flagger's router writes: apex VirtualService with one weighted HTTP route (networking.istio.io/v1beta1). */
function virtualService(namespace: string, primaryWeight: number, canaryWeight: number): Record<string, unknown> {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'backend', namespace, annotations: { 'sim.linnet.dev/rate': String(VS_RATE) } },
    spec: {
      hosts: ['backend'],
      gateways: ['mesh'],
      http: [
        {
          route: [
            { destination: { host: 'backend-primary' }, weight: primaryWeight },
            { destination: { host: 'backend-canary' }, weight: canaryWeight },
          ],
        },
      ],
    },
  };
}

describe('mesh simulator → Prometheus → Flagger Istio queries', () => {
  let clients: KubeClients;
  let namespace: string;
  const loadJobIds: string[] = [];

  /** Waits until the simulator's plan gives each workload the expected request rate; returns when (s). */
  async function waitForPlan(rates: Record<string, number>): Promise<number> {
    await waitFor(
      `simulator plan ${JSON.stringify(rates)}`,
      async () => {
        const plan = await simulatorPlan();
        const ours = plan.workloads.filter((w) => w.namespace === namespace);
        const matches = Object.entries(rates).every(([workload, rate]) =>
          ours.some((w) => w.workload === workload && Math.abs(w.ratePerSecond - rate) < 1e-9),
        );
        return matches && ours.length === Object.keys(rates).length ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, explainTimeout: async () => JSON.stringify(await simulatorPlan()) },
    );
    return Date.now() / 1000;
  }

  /**
   * Waits until Prometheus holds scrapes of this namespace's series taken at least `WINDOW_SECONDS + 5` after
   * `since`, so a [30s] window ending at that scrape contains only traffic of the current plan. Returns that
   * scrape's timestamp, at which the caller evaluates its queries.
   */
  async function waitForFullWindow(since: number): Promise<number> {
    const selector = `istio_requests_total{reporter="destination",destination_workload_namespace="${namespace}"}`;
    return waitFor(
      `Prometheus samples ${WINDOW_SECONDS + 5}s after the plan change`,
      async () => {
        const latest = Number((await promQuery(`max(timestamp(${selector}))`)).at(0)?.value[1]);
        return latest >= since + WINDOW_SECONDS + 5 ? latest : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  }

  beforeAll(async () => {
    clients = kubeClients();
    namespace = await createNamespace(clients, 'itest-meshsim');
    await clients.apps.createNamespacedDeployment({ namespace, body: deployment('backend-primary', PRIMARY) });
    await clients.apps.createNamespacedDeployment({ namespace, body: deployment('backend', CANARY) });
    for (const [name, app] of [
      ['backend', 'backend-primary'],
      ['backend-primary', 'backend-primary'],
      ['backend-canary', 'backend'],
    ] as const) {
      await clients.core.createNamespacedService({ namespace, body: service(name, app) });
    }
    await waitFor(
      'backend-primary and backend ready',
      async () => {
        const list = await clients.apps.listNamespacedDeployment({ namespace });
        return list.items.length === 2 && list.items.every((d) => d.status?.readyReplicas === 1) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await clients.custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1beta1',
      namespace,
      plural: 'virtualservices',
      body: virtualService(namespace, 100, 0),
    });
  });

  afterAll(async () => {
    for (const id of loadJobIds)
      await fetch(new URL(`/load/${id}`, requiredEnv('MESH_SIMULATOR_URL')), { method: 'DELETE' });
    if (namespace) await deleteNamespaceAndWait(clients, namespace);
  });

  test('100/0: the primary reads its configured success rate and P99; the canary has no values', async () => {
    const since = await waitForPlan({ 'backend-primary': VS_RATE });
    const at = await waitForFullWindow(since);

    const successRate = await promValue(successRateQuery(namespace, 'backend-primary', INTERVAL), at);
    const p99 = await promValue(durationQuery(namespace, 'backend-primary', INTERVAL), at);
    const expectedP99 = expectedHistogramQuantile(0.99, logNormalFromMedianAndP99(PRIMARY.medianMs, PRIMARY.p99Ms));
    process.stderr.write(
      `mesh-simulator itest 100/0: primary success rate ${successRate?.toFixed(3)}% (configured ${100 * (1 - PRIMARY.errorRate)}%), ` +
        `P99 ${p99?.toFixed(2)} ms (histogram expectation ${expectedP99.toFixed(2)} ms, configured ${PRIMARY.p99Ms} ms)\n`,
    );
    expect(successRate).toBeDefined();
    expect(Math.abs((successRate ?? NaN) - 100 * (1 - PRIMARY.errorRate))).toBeLessThanOrEqual(1);
    // Istio's buckets are coarse: the P99 of 80 ms lies in (50, 100], where histogram_quantile interpolates linearly,
    // so Flagger reads ~98 ms, not 80. The simulator's value is compared with that expectation, ±5 %.
    expect(Math.abs((p99 ?? NaN) - expectedP99) / expectedP99).toBeLessThanOrEqual(0.05);
    // A canary at weight 0 receives nothing: Flagger's "no values found" case.
    expect(await promValue(successRateQuery(namespace, 'backend', INTERVAL), at)).toBeUndefined();
  });

  test('50/50 plus a load job on backend-canary: each workload reads its own behaviour, weights split the VS traffic', async () => {
    // JSON Patch (the client's default patch type) of the two weights, as Flagger's SetRoutes would leave them.
    await clients.custom.patchNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1beta1',
      namespace,
      plural: 'virtualservices',
      name: 'backend',
      body: [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
      ],
    });
    const load = await fetch(new URL('/load', requiredEnv('MESH_SIMULATOR_URL')), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ namespace, service: 'backend-canary', rate: LOAD_RATE, durationSeconds: 300 }),
    });
    expect(load.status).toBe(201);
    loadJobIds.push(((await load.json()) as { id: string }).id);

    const since = await waitForPlan({ 'backend-primary': VS_RATE / 2, backend: VS_RATE / 2 + LOAD_RATE });
    const at = await waitForFullWindow(since);

    const canaryRate = await promValue(successRateQuery(namespace, 'backend', INTERVAL), at);
    const primaryRate = await promValue(successRateQuery(namespace, 'backend-primary', INTERVAL), at);
    const canaryP99 = await promValue(durationQuery(namespace, 'backend', INTERVAL), at);
    const expectedCanaryP99 = expectedHistogramQuantile(0.99, logNormalFromMedianAndP99(CANARY.medianMs, CANARY.p99Ms));
    const ns = `destination_workload_namespace="${namespace}"`;
    const canaryShare = await promValue(
      `sum(rate(istio_requests_total{${ns},destination_workload="backend",source_workload="linnet-mesh-simulator"}[${INTERVAL}])) / sum(rate(istio_requests_total{${ns},source_workload="linnet-mesh-simulator"}[${INTERVAL}]))`,
      at,
    );
    const loadRate = await promValue(
      `sum(rate(istio_requests_total{${ns},destination_workload="backend",source_workload="loadtester"}[${INTERVAL}]))`,
      at,
    );
    process.stderr.write(
      `mesh-simulator itest 50/50: canary success rate ${canaryRate?.toFixed(3)}% (configured ${100 * (1 - CANARY.errorRate)}%), ` +
        `primary ${primaryRate?.toFixed(3)}%, canary P99 ${canaryP99?.toFixed(2)} ms (histogram expectation ` +
        `${expectedCanaryP99.toFixed(2)} ms, configured ${CANARY.p99Ms} ms), canary share of VS traffic ` +
        `${canaryShare?.toFixed(4)}, load job ${loadRate?.toFixed(3)} req/s\n`,
    );
    expect(Math.abs((canaryRate ?? NaN) - 100 * (1 - CANARY.errorRate))).toBeLessThanOrEqual(1);
    expect(Math.abs((primaryRate ?? NaN) - 100 * (1 - PRIMARY.errorRate))).toBeLessThanOrEqual(1);
    expect(Math.abs((canaryP99 ?? NaN) - expectedCanaryP99) / expectedCanaryP99).toBeLessThanOrEqual(0.05);
    expect(Math.abs((canaryShare ?? NaN) - 0.5)).toBeLessThanOrEqual(0.02);
    // Absolute rates also carry scrape-time jitter (a sample is stamped when scraped, counters move per 200 ms tick).
    expect(Math.abs((loadRate ?? NaN) - LOAD_RATE) / LOAD_RATE).toBeLessThanOrEqual(0.05);
  });
});
