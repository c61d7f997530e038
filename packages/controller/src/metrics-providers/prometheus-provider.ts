import { boundedExchange, type ExchangeResponse } from '../bounded-http/index.ts';
import { collapseWhitespace } from './builtin-queries.ts';
import type {
  MetricQueryErrorReason,
  MetricQueryOptions,
  MetricQueryResult,
  MetricSeriesValue,
  MetricsProvider,
} from './metrics-provider.ts';

export type PrometheusAuth = { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface PrometheusProviderConfig {
  /** Base URL, e.g. http://prometheus.istio-system:9090; a path prefix (…/prometheus) is kept. */
  address: string;
  auth?: PrometheusAuth;
  /** MetricTemplate `provider.headers`: every value of a name is sent, comma-joined as HTTP allows. */
  headers?: Readonly<Record<string, readonly string[]>>;
  /** One deadline for the whole query (connect, headers, body); Flagger's Prometheus client uses 5 s (the default). */
  timeoutMs?: number;
  insecureSkipVerify?: boolean;
}

export interface PrometheusLimits {
  /** Largest answer read, in bytes (default 1 MiB, the -prometheus-max-answer-bytes flag). */
  maxAnswerBytes?: number;
}

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 5000;
export const DEFAULT_PROMETHEUS_MAX_ANSWER_BYTES = 1024 * 1024;

/** A MetricsProvider backed by the Prometheus HTTP API (`GET <address>/api/v1/query`). */
export function createPrometheusProvider(
  config: PrometheusProviderConfig,
  limits: PrometheusLimits = {},
): MetricsProvider {
  return new PrometheusMetricsProvider(config, limits.maxAnswerBytes ?? DEFAULT_PROMETHEUS_MAX_ANSWER_BYTES);
}

/** The parts of Prometheus' answer envelope this provider reads. */
interface PrometheusAnswer {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

class PrometheusMetricsProvider implements MetricsProvider {
  readonly type = 'prometheus';
  readonly address: string;
  readonly #config: PrometheusProviderConfig;
  readonly #headers: Record<string, string>;
  readonly #maxAnswerBytes: number;

  constructor(config: PrometheusProviderConfig, maxAnswerBytes: number) {
    this.#config = config;
    this.#maxAnswerBytes = maxAnswerBytes;
    this.address = redactCredentials(config.address);
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [name, values] of Object.entries(config.headers ?? {})) headers[name] = values.join(', ');
    if (config.auth?.kind === 'bearer') headers['Authorization'] = `Bearer ${config.auth.token}`;
    if (config.auth?.kind === 'basic') {
      const credentials = Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64');
      headers['Authorization'] = `Basic ${credentials}`;
    }
    this.#headers = headers;
  }

  async query(promql: string, options: MetricQueryOptions = {}): Promise<MetricQueryResult> {
    const url = queryUrl(this.#config.address, collapseWhitespace(promql));
    if (url === undefined) {
      return queryError('MetricQueryFailed', `Prometheus address "${this.address}" is not an http or https URL`);
    }
    const timeoutMs = this.#config.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
    const exchange = await boundedExchange({
      method: 'GET',
      url,
      headers: this.#headers,
      deadlineMs: timeoutMs,
      maxBodyBytes: this.#maxAnswerBytes,
      signal: options.signal,
      insecureSkipVerify: this.#config.insecureSkipVerify,
    });
    if (exchange.kind === 'response') return this.#interpretAnswer(exchange);
    switch (exchange.reason) {
      case 'TimedOut':
        return queryError('MetricQueryTimedOut', `Prometheus ${this.address} ${exchange.message}`);
      case 'Aborted':
        return queryError('MetricQueryAborted', `query to Prometheus ${this.address} was cancelled`);
      case 'BodyTooLarge':
        return queryError(
          'MetricQueryAnswerTooLarge',
          `Prometheus ${this.address} answered with more than ${this.#maxAnswerBytes} bytes; ` +
            'the limit is the -prometheus-max-answer-bytes flag',
        );
      case 'NetworkError':
      case 'TLSError':
        return queryError(
          'MetricsProviderUnreachable',
          `Prometheus ${this.address} is unreachable: ${exchange.message}`,
        );
      case 'InvalidRequest':
        return queryError(
          'MetricQueryFailed',
          `Prometheus query to ${this.address} could not be sent: ${exchange.message}`,
        );
    }
  }

  async isOnline(): Promise<boolean> {
    const result = await this.query('vector(1)');
    return result.kind === 'value' && result.value === 1;
  }

  #interpretAnswer(response: ExchangeResponse): MetricQueryResult {
    const ok = response.status >= 200 && response.status < 300;
    const answer = parseAnswer(response.body);
    if (answer === undefined) {
      if (!ok)
        return queryError(
          'MetricQueryFailed',
          `Prometheus query failed (HTTP ${response.status}): ${describeBody(response.body)}`,
        );
      const contentType = String(response.headers['content-type'] ?? 'no content type').split(';')[0];
      const what =
        contentType?.includes('json') === true
          ? 'JSON that is cut off or malformed'
          : `a ${contentType} body, not JSON`;
      return this.#invalid(`HTTP ${response.status} with ${what}: ${describeBody(response.body)}`);
    }
    if (answer.status !== 'success') {
      const error = prometheusError(answer);
      return ok
        ? this.#invalid(`HTTP ${response.status} with status "${String(answer.status)}": ${error}`)
        : queryError('MetricQueryFailed', `Prometheus query failed (HTTP ${response.status}): ${error}`);
    }
    if (!ok) return this.#invalid(`HTTP ${response.status} with status "success"`);
    return this.#interpretData(answer.data);
  }

  #interpretData(data: PrometheusAnswer['data']): MetricQueryResult {
    const result = data?.result;
    switch (data?.resultType) {
      case 'vector': {
        if (!Array.isArray(result)) return this.#invalid('a vector without a result list');
        const series: MetricSeriesValue[] = [];
        for (const entry of result) {
          const parsed = toSeriesValue(entry);
          if (parsed === undefined)
            return this.#invalid(`a vector entry without a [time, value] pair: ${describeBody(JSON.stringify(entry))}`);
          series.push(parsed);
        }
        const [only] = series;
        if (only === undefined) return { kind: 'no-values' };
        if (series.length === 1) return this.#single(only.value);
        const last = series[series.length - 1];
        return { kind: 'multiple-series', series, lastValue: last?.value ?? Number.NaN };
      }
      case 'scalar': {
        const value = Array.isArray(result) ? sampleValue(result[1]) : undefined;
        return value === undefined ? this.#invalid('a scalar without a [time, value] pair') : this.#single(value);
      }
      case 'matrix':
        return queryError('MetricQueryReturnedRange', 'query returned a range vector; metric queries must be instant');
      case 'string':
        return queryError('MetricQueryReturnedString', 'query returned a string, not a number');
      default:
        return this.#invalid(`no known resultType (got ${JSON.stringify(data?.resultType ?? null)})`);
    }
  }

  /** NaN and ±Inf are answers, not values: they fail the check with a message saying which one came back. */
  #single(value: number): MetricQueryResult {
    if (Number.isNaN(value)) {
      return queryError(
        'MetricQueryReturnedNaN',
        `Prometheus ${this.address} returned NaN for the query (a 0/0 ratio, such as a rate over a window without samples)`,
      );
    }
    if (!Number.isFinite(value)) {
      return queryError(
        'MetricQueryReturnedInfinity',
        `Prometheus ${this.address} returned ${value > 0 ? '+Inf' : '-Inf'} for the query ` +
          '(a division by zero, or a quantile above the largest histogram bucket)',
      );
    }
    return { kind: 'value', value };
  }

  #invalid(detail: string): MetricQueryResult {
    return queryError('MetricsProviderInvalidAnswer', `invalid answer from Prometheus at ${this.address}: ${detail}`);
  }
}

/** `<address>/api/v1/query?query=…`, keeping a path prefix; undefined when the address is no http(s) URL. */
function queryUrl(address: string, promql: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
  url.search = new URLSearchParams({ query: promql }).toString();
  return url.toString();
}

function parseAnswer(body: string): PrometheusAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as PrometheusAnswer)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Prometheus' own error text, e.g. `bad_data: 1:5: parse error: unclosed left parenthesis`. */
function prometheusError(answer: PrometheusAnswer): string {
  const error = typeof answer.error === 'string' ? answer.error : '';
  const type = typeof answer.errorType === 'string' ? answer.errorType : '';
  if (error === '') return type === '' ? 'no error text' : type;
  return type === '' ? error : `${type}: ${error}`;
}

/** Prometheus sends sample values as strings, with "NaN", "+Inf" and "-Inf" spelled out. */
function sampleValue(raw: unknown): number | undefined {
  if (typeof raw !== 'string') return undefined;
  if (raw === 'NaN') return Number.NaN;
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  return raw.trim() === '' || Number.isNaN(value) ? undefined : value;
}

/** `{ metric: { __name__?, …labels }, value: [time, "value"] }` */
function toSeriesValue(entry: unknown): MetricSeriesValue | undefined {
  const sample = entry as { metric?: unknown; value?: unknown } | null;
  if (typeof sample !== 'object' || sample === null || !Array.isArray(sample.value)) return undefined;
  const value = sampleValue(sample.value[1]);
  if (value === undefined) return undefined;
  const labels: Record<string, string> = {};
  if (typeof sample.metric === 'object' && sample.metric !== null) {
    for (const [name, label] of Object.entries(sample.metric)) labels[name] = String(label);
  }
  return { labels, value };
}

/** The start of a body, on one line, for messages. */
function describeBody(body: string): string {
  const collapsed = body.replace(/\s+/g, ' ').trim();
  if (collapsed === '') return '(empty body)';
  return collapsed.length > 256 ? `${collapsed.slice(0, 256)}…` : collapsed;
}

function queryError(reason: MetricQueryErrorReason, message: string): MetricQueryResult {
  return { kind: 'error', reason, message };
}

function redactCredentials(address: string): string {
  try {
    const url = new URL(address);
    if (url.username === '' && url.password === '') return address;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return address;
  }
}
