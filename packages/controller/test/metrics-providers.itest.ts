// The Prometheus metrics provider against a real Prometheus (PROMETHEUS_URL, started by the testenv global setup).
// Known series are pushed with Prometheus' remote-write API, with explicit timestamps, so every expected value is
// exact; each run uses its own namespace label so reruns against a long-lived Prometheus never collide.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricTemplate } from '@linnet/api';
import {
  createPrometheusProvider,
  planMetricQueries,
  renderBuiltinIstioQuery,
  type MetricQueryResult,
  type MetricTemplateContext,
} from '../src/metrics-providers/index.ts';

const prometheusUrl = process.env.PROMETHEUS_URL ?? '';
const namespace = `linnet-mp-${randomBytes(4).toString('hex')}`;

// ---------------------------------------------------------------------------------------------------------------
// Remote write: a WriteRequest protobuf, compressed as one snappy literal block (valid snappy, no compression).

interface Sample {
  timestampMs: number;
  value: number;
}

interface Series {
  labels: Record<string, string>;
  samples: Sample[];
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = BigInt(value);
  while (rest >= 0x80n) {
    bytes.push(Number((rest & 0x7fn) | 0x80n));
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

function lengthDelimited(field: number, payload: number[]): number[] {
  return [(field << 3) | 2, ...varint(payload.length), ...payload];
}

function utf8(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

function encodeSample(sample: Sample): number[] {
  const value = Buffer.alloc(8);
  value.writeDoubleLE(sample.value);
  return [(1 << 3) | 1, ...value, (2 << 3) | 0, ...varint(sample.timestampMs)];
}

function encodeWriteRequest(series: Series[]): Buffer {
  const body: number[] = [];
  for (const one of series) {
    const timeSeries: number[] = [];
    // Remote write requires labels sorted by name.
    for (const [name, value] of Object.entries(one.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      timeSeries.push(...lengthDelimited(1, [...lengthDelimited(1, utf8(name)), ...lengthDelimited(2, utf8(value))]));
    }
    for (const sample of one.samples) timeSeries.push(...lengthDelimited(2, encodeSample(sample)));
    body.push(...lengthDelimited(1, timeSeries));
  }
  return Buffer.from(body);
}

function snappyLiteralBlock(data: Buffer): Buffer {
  const length = data.length - 1;
  const lengthBytes = Buffer.alloc(4);
  lengthBytes.writeUInt32LE(length);
  const tag = length < 60 ? [length << 2] : [63 << 2, ...lengthBytes];
  return Buffer.concat([Buffer.from([...varint(data.length), ...tag]), data]);
}

async function remoteWrite(series: Series[]): Promise<void> {
  const response = await fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: snappyLiteralBlock(encodeWriteRequest(series)),
  });
  if (response.status !== 204) {
    throw new Error(
      `remote write to ${prometheusUrl} answered ${response.status}: ${await response.text()} ` +
        '(Prometheus needs --web.enable-remote-write-receiver)',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture: two minutes of Istio telemetry, one sample every 5 s, ending now.

const STEP_MS = 5000;
const STEPS = 24;

function counter(labels: Record<string, string>, perSecond: number, start = 0): Series {
  const end = Date.now();
  const samples: Sample[] = [];
  for (let i = 0; i <= STEPS; i += 1) {
    samples.push({ timestampMs: end - (STEPS - i) * STEP_MS, value: start + (perSecond * i * STEP_MS) / 1000 });
  }
  return { labels, samples };
}

function requests(workload: string, code: string, perSecond: number, reporter = 'destination', start = 0): Series {
  return counter(
    {
      __name__: 'istio_requests_total',
      reporter,
      destination_workload_namespace: namespace,
      destination_workload: workload,
      response_code: code,
    },
    perSecond,
    start,
  );
}

function durationBucket(workload: string, le: string, perSecond: number): Series {
  return counter(
    {
      __name__: 'istio_request_duration_milliseconds_bucket',
      reporter: 'destination',
      destination_workload_namespace: namespace,
      destination_workload: workload,
      le,
    },
    perSecond,
  );
}

const fixture: Series[] = [
  // podinfo (the canary): 9 req/s OK, 1 req/s 500 ⇒ success rate 90 %.
  requests('podinfo', '200', 9),
  requests('podinfo', '500', 1),
  // Must not count: the primary (PromQL =~ is anchored) and the source reporter.
  requests('podinfo-primary', '503', 50),
  requests('podinfo', '500', 50, 'source'),
  // All 10 req/s between 50 and 100 ms ⇒ P99 = 50 + 50 × 0.99 = 99.5 ms.
  durationBucket('podinfo', '50', 0),
  durationBucket('podinfo', '100', 10),
  durationBucket('podinfo', '250', 10),
  durationBucket('podinfo', '+Inf', 10),
  // Series exist but no requests in the window ⇒ 0 / 0 = NaN.
  requests('idle', '200', 0, 'destination', 7),
];

function context(target: string): MetricTemplateContext {
  return {
    name: target,
    namespace,
    target,
    service: target,
    ingress: target,
    route: target,
    interval: '1m',
    variables: {},
  };
}

function expectValue(result: MetricQueryResult): number {
  if (result.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(result)}`);
  return result.value;
}

// ---------------------------------------------------------------------------------------------------------------
// A recording reverse proxy in front of the real Prometheus, to see what the provider sends.

interface RecordingProxy {
  url: string;
  headers: IncomingHttpHeaders[];
  paths: string[];
}

const servers: Server[] = [];

async function startProxy(options: {
  prefix: string;
  requireAuthorization?: string;
  hang?: boolean;
}): Promise<RecordingProxy> {
  const upstream = new URL(prometheusUrl);
  const proxy: RecordingProxy = { url: '', headers: [], paths: [] };
  const server = createServer((req, res) => {
    proxy.headers.push(req.headers);
    proxy.paths.push(req.url ?? '');
    if (options.hang === true) return;
    if (options.requireAuthorization !== undefined && req.headers.authorization !== options.requireAuthorization) {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('unauthorized: missing or wrong credentials');
      return;
    }
    const path = (req.url ?? '/').startsWith(options.prefix) ? (req.url ?? '/').slice(options.prefix.length) : '/404';
    const forwarded = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.prefix}`;
  return proxy;
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  if (prometheusUrl === '') throw new Error('PROMETHEUS_URL is not set; the testenv global setup starts Prometheus');
  await remoteWrite(fixture);
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('Prometheus provider against a real Prometheus', () => {
  const prometheus = () => createPrometheusProvider({ address: prometheusUrl });

  it('is online when vector(1) answers 1', async () => {
    await expect(prometheus().isOnline()).resolves.toBe(true);
  });

  it('computes Flagger’s request-success-rate from Istio telemetry', async () => {
    const value = expectValue(
      await prometheus().query(renderBuiltinIstioQuery('request-success-rate', context('podinfo'))),
    );
    expect(value).toBeCloseTo(90, 9);
  });

  it('computes Flagger’s request-duration (P99 ms)', async () => {
    const value = expectValue(
      await prometheus().query(renderBuiltinIstioQuery('request-duration', context('podinfo'))),
    );
    expect(value).toBeCloseTo(99.5, 9);
  });

  it('reports no values for a workload without telemetry', async () => {
    const result = await prometheus().query(renderBuiltinIstioQuery('request-success-rate', context('ghost')));
    expect(result).toEqual({ kind: 'no-values' });
  });

  it('reports NaN, not "no values", when the workload got no requests in the window', async () => {
    const result = await prometheus().query(renderBuiltinIstioQuery('request-success-rate', context('idle')));
    expect(result).toMatchObject({ kind: 'error', reason: 'MetricQueryReturnedNaN' });
    expect(result.kind === 'error' && result.message).toContain('returned NaN for the query');
  });

  it('reports multiple series with their labels and the last value', async () => {
    const result = await prometheus().query(
      `sum by (response_code) (rate(istio_requests_total{reporter="destination",destination_workload_namespace="${namespace}",destination_workload="podinfo"}[1m]))`,
    );
    if (result.kind !== 'multiple-series') throw new Error(`expected multiple series, got ${JSON.stringify(result)}`);
    const byCode = Object.fromEntries(result.series.map((s) => [s.labels['response_code'], s.value]));
    expect(byCode['200']).toBeCloseTo(9 * (byCode['500'] ?? Number.NaN), 9);
    expect(result.lastValue).toBe(result.series[result.series.length - 1]?.value);
  });

  it('reads scalar results', async () => {
    expect(await prometheus().query('scalar(vector(3))')).toEqual({ kind: 'value', value: 3 });
  });

  it('rejects range vectors', async () => {
    const result = await prometheus().query(`istio_requests_total{destination_workload_namespace="${namespace}"}[1m]`);
    expect(result).toMatchObject({ kind: 'error', reason: 'MetricQueryReturnedRange' });
  });

  it('reports Prometheus’ own message for a bad query', async () => {
    const result = await prometheus().query('sum(rate(istio_requests_total[1m])');
    expect(result).toMatchObject({ kind: 'error', reason: 'MetricQueryFailed' });
    expect(result.kind === 'error' && result.message).toMatch(/^Prometheus query failed \(HTTP 400\): .*parse error/);
  });

  it('reports an unreachable Prometheus', async () => {
    const proxy = await startProxy({ prefix: '' });
    const closed = servers.pop();
    await new Promise<void>((resolve) => closed?.close(() => resolve()));
    const provider = createPrometheusProvider({ address: proxy.url });
    await expect(provider.isOnline()).resolves.toBe(false);
    const result = await provider.query('vector(1)');
    expect(result).toMatchObject({ kind: 'error', reason: 'MetricsProviderUnreachable' });
    expect(result.kind === 'error' && result.message).toContain(`Prometheus ${proxy.url} is unreachable`);
  });

  it('times out a Prometheus that does not answer', async () => {
    const proxy = await startProxy({ prefix: '', hang: true });
    const result = await createPrometheusProvider({ address: proxy.url, timeoutMs: 200 }).query('vector(1)');
    expect(result).toMatchObject({ kind: 'error', reason: 'MetricQueryTimedOut' });
  });
});

describe('connection settings', () => {
  it('keeps the address path and sends bearer auth and template headers', async () => {
    const proxy = await startProxy({ prefix: '/prometheus', requireAuthorization: 'Bearer s3cret' });
    const provider = createPrometheusProvider({
      address: `${proxy.url}/`,
      auth: { kind: 'bearer', token: 's3cret' },
      headers: { 'X-Scope-OrgID': ['team-a'], 'X-Multi': ['one', 'two'] },
    });
    expect(await provider.query('vector(1)')).toEqual({ kind: 'value', value: 1 });
    expect(proxy.paths[0]).toMatch(/^\/prometheus\/api\/v1\/query\?query=vector%281%29/);
    expect(proxy.headers[0]).toMatchObject({ 'x-scope-orgid': 'team-a', 'x-multi': 'one, two' });
  });

  it('sends basic auth', async () => {
    const expected = `Basic ${Buffer.from('admin:pa55').toString('base64')}`;
    const proxy = await startProxy({ prefix: '/p', requireAuthorization: expected });
    const provider = createPrometheusProvider({
      address: proxy.url,
      auth: { kind: 'basic', username: 'admin', password: 'pa55' },
    });
    await expect(provider.isOnline()).resolves.toBe(true);
  });

  it('explains a rejection by something that is not Prometheus', async () => {
    const proxy = await startProxy({ prefix: '/p', requireAuthorization: 'Bearer right' });
    const result = await createPrometheusProvider({
      address: proxy.url,
      auth: { kind: 'bearer', token: 'wrong' },
    }).query('vector(1)');
    expect(result).toEqual({
      kind: 'error',
      reason: 'MetricQueryFailed',
      message: 'Prometheus query failed (HTTP 401): unauthorized: missing or wrong credentials',
    });
  });
});

describe('MetricTemplate end to end', () => {
  it('renders a template with variables and runs it on the template’s provider', async () => {
    const template: Pick<MetricTemplate, 'metadata' | 'spec'> = {
      metadata: { name: 'error-rate', namespace: 'istio-system' },
      spec: {
        provider: { type: 'prometheus', address: prometheusUrl },
        query: `100 - sum(rate(istio_requests_total{reporter="{{ variables.reporter }}",
            destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}",
            response_code!~"{{ variables.codes }}"}[{{ interval }}])) / sum(rate(istio_requests_total{
            reporter="{{ variables.reporter }}", destination_workload_namespace="{{ namespace }}",
            destination_workload=~"{{ target }}"}[{{ interval }}])) * 100`,
      },
    };
    const [plan] = planMetricQueries({
      canary: {
        metadata: { name: 'podinfo', namespace },
        spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' } },
      },
      metric: {
        name: 'error-rate',
        interval: '1m',
        templateRef: { name: 'error-rate', namespace: 'istio-system' },
        templateVariables: { reporter: 'destination', codes: '5.*' },
      },
      template,
      defaultAddress: 'http://127.0.0.1:1',
    });
    if (plan === undefined) throw new Error('no plan');
    const value = expectValue(await createPrometheusProvider(plan.provider).query(plan.query));
    expect(value).toBeCloseTo(10, 9);
  });
});
