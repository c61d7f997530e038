// The Prometheus provider against loopback servers that answer the way a broken, slow or hostile "Prometheus" does.
// The real-Prometheus behaviour is covered by test/metrics-providers.itest.ts.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  answer,
  closeLoopbackServers,
  dripFeed,
  startLoopbackServer,
  type Respond,
} from '../testing/loopback-server.ts';
import { createPrometheusProvider } from './prometheus-provider.ts';

afterEach(closeLoopbackServers);

async function prometheusAnswering(respond: Respond): Promise<{ address: string; paths: () => string[] }> {
  const server = await startLoopbackServer(respond, { path: '' });
  return { address: server.url, paths: () => server.requests.map((request) => request.path) };
}

const json = (code: number, body: unknown): Respond => answer(code, JSON.stringify(body), 'application/json');
const vector = (...values: string[]): Respond =>
  json(200, {
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map((value, index) => ({ metric: { pod: `p${index}` }, value: [1700000000.1, value] })),
    },
  });

describe('values', () => {
  it('reads one finite sample, an empty vector, several series and scalars', async () => {
    const one = await prometheusAnswering(vector('99.5'));
    expect(await createPrometheusProvider({ address: one.address }).query('up')).toEqual({
      kind: 'value',
      value: 99.5,
    });
    expect(one.paths()).toEqual(['/api/v1/query?query=up']);

    const none = await prometheusAnswering(vector());
    expect(await createPrometheusProvider({ address: none.address }).query('up')).toEqual({ kind: 'no-values' });

    const two = await prometheusAnswering(vector('1', '2'));
    expect(await createPrometheusProvider({ address: two.address }).query('up')).toMatchObject({
      kind: 'multiple-series',
      lastValue: 2,
      series: [{ labels: { pod: 'p0' }, value: 1 }, { labels: { pod: 'p1' } }],
    });

    const scalar = await prometheusAnswering(
      json(200, { status: 'success', data: { resultType: 'scalar', result: [1, '3'] } }),
    );
    expect(await createPrometheusProvider({ address: scalar.address }).query('up')).toEqual({
      kind: 'value',
      value: 3,
    });
  });

  it.each([
    ['NaN', 'MetricQueryReturnedNaN', 'returned NaN for the query'],
    ['+Inf', 'MetricQueryReturnedInfinity', 'returned +Inf for the query'],
    ['-Inf', 'MetricQueryReturnedInfinity', 'returned -Inf for the query'],
  ])('says %s was returned, never "no values"', async (sample, reason, text) => {
    const prometheus = await prometheusAnswering(vector(sample));
    const result = await createPrometheusProvider({ address: prometheus.address }).query('up');
    expect(result).toMatchObject({ kind: 'error', reason, message: expect.stringContaining(text) });
    expect(result.kind === 'error' && result.message).not.toMatch(/no values|not receiving traffic/);

    const scalar = await prometheusAnswering(
      json(200, { status: 'success', data: { resultType: 'scalar', result: [1, sample] } }),
    );
    expect(await createPrometheusProvider({ address: scalar.address }).query('up')).toMatchObject({ reason });
  });
});

describe('invalid answers', () => {
  it('explains HTML answered with HTTP 200', async () => {
    const prometheus = await prometheusAnswering(answer(200, '<html><body>Sign in</body></html>', 'text/html'));
    expect(await createPrometheusProvider({ address: prometheus.address }).query('up')).toEqual({
      kind: 'error',
      reason: 'MetricsProviderInvalidAnswer',
      message:
        `invalid answer from Prometheus at ${prometheus.address}: ` +
        'HTTP 200 with a text/html body, not JSON: <html><body>Sign in</body></html>',
    });
  });

  it('explains truncated JSON without a JavaScript error', async () => {
    const prometheus = await prometheusAnswering(
      answer(200, '{"status":"success","data":{"resultType":"vec', 'application/json'),
    );
    const result = await createPrometheusProvider({ address: prometheus.address }).query('up');
    expect(result).toMatchObject({
      reason: 'MetricsProviderInvalidAnswer',
      message: `invalid answer from Prometheus at ${prometheus.address}: HTTP 200 with JSON that is cut off or malformed: {"status":"success","data":{"resultType":"vec`,
    });
    expect(result.kind === 'error' && result.message).not.toMatch(/SyntaxError|Unexpected|position/);
  });

  it('reports Prometheus’ own error text from an error body sent with HTTP 200', async () => {
    const prometheus = await prometheusAnswering(
      json(200, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' }),
    );
    expect(await createPrometheusProvider({ address: prometheus.address }).query('up')).toEqual({
      kind: 'error',
      reason: 'MetricsProviderInvalidAnswer',
      message:
        `invalid answer from Prometheus at ${prometheus.address}: HTTP 200 with status "error": ` +
        'execution: query processing would load too many samples',
    });
  });

  it('explains a success without a usable result', async () => {
    const prometheus = await prometheusAnswering(json(200, { status: 'success', data: { resultType: 'vector' } }));
    expect(await createPrometheusProvider({ address: prometheus.address }).query('up')).toMatchObject({
      reason: 'MetricsProviderInvalidAnswer',
      message: `invalid answer from Prometheus at ${prometheus.address}: a vector without a result list`,
    });
  });

  it('reports a refused query with Prometheus’ error text', async () => {
    const prometheus = await prometheusAnswering(
      json(400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' }),
    );
    expect(await createPrometheusProvider({ address: prometheus.address }).query('sum(')).toEqual({
      kind: 'error',
      reason: 'MetricQueryFailed',
      message: 'Prometheus query failed (HTTP 400): bad_data: 1:5: parse error: unclosed left parenthesis',
    });
  });
});

describe('bounds', () => {
  it('times out a drip-feeding Prometheus after its timeout and says so in seconds', async () => {
    const prometheus = await prometheusAnswering(dripFeed(50));
    const started = performance.now();
    const result = await createPrometheusProvider({ address: prometheus.address, timeoutMs: 500 }).query('up');
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(result).toEqual({
      kind: 'error',
      reason: 'MetricQueryTimedOut',
      message: `Prometheus ${prometheus.address} timed out after 0.5 s (reading the body)`,
    });
  });

  it('refuses an answer above the size cap', async () => {
    const prometheus = await prometheusAnswering(vector(...Array.from({ length: 200 }, () => '1')));
    const result = await createPrometheusProvider({ address: prometheus.address }, { maxAnswerBytes: 4096 }).query(
      'up',
    );
    expect(result).toEqual({
      kind: 'error',
      reason: 'MetricQueryAnswerTooLarge',
      message: `Prometheus ${prometheus.address} answered with more than 4096 bytes; the limit is the -prometheus-max-answer-bytes flag`,
    });
  });

  it('stops when the caller aborts', async () => {
    const prometheus = await prometheusAnswering(dripFeed(50));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const result = await createPrometheusProvider({ address: prometheus.address, timeoutMs: 10_000 }).query('up', {
      signal: controller.signal,
    });
    expect(result).toMatchObject({ reason: 'MetricQueryAborted' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
