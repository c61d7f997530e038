import { Agent as HttpsAgent } from 'node:https';
import { PrometheusDriver, type QueryResult } from 'prometheus-query';
import { redactUrl } from '@linnet/api';
import { collapseWhitespace } from './builtin-queries.ts';
import type {
  MetricQueryErrorReason,
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
  /** Per-request timeout; Flagger's Prometheus client uses 5 s (the default). */
  timeoutMs?: number;
  insecureSkipVerify?: boolean;
}

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 5000;

/** A MetricsProvider backed by the Prometheus HTTP API (`GET <address>/api/v1/query`). */
export function createPrometheusProvider(config: PrometheusProviderConfig): MetricsProvider {
  return new PrometheusMetricsProvider(config);
}

class PrometheusMetricsProvider implements MetricsProvider {
  readonly type = 'prometheus';
  readonly address: string;
  readonly #driver: PrometheusDriver;

  constructor(config: PrometheusProviderConfig) {
    this.address = redactCredentials(config.address);
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(config.headers ?? {})) headers[name] = values.join(', ');
    if (config.auth?.kind === 'bearer') headers['Authorization'] = `Bearer ${config.auth.token}`;
    const insecureAgent =
      config.insecureSkipVerify === true ? new HttpsAgent({ rejectUnauthorized: false }) : undefined;

    this.#driver = new PrometheusDriver({
      endpoint: config.address,
      baseURL: '/api/v1/',
      headers,
      timeout: config.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS,
      ...(config.auth?.kind === 'basic' && {
        auth: { username: config.auth.username, password: config.auth.password },
      }),
      // The driver has no TLS option; its request hook is the one place to hand axios an agent.
      ...(insecureAgent !== undefined && {
        requestInterceptor: {
          onFulfilled: (request) => {
            request.httpsAgent = insecureAgent;
            return request;
          },
        },
      }),
      responseInterceptor: { onFulfilled: (response) => response, onRejected: explainNonPrometheusError },
    });
  }

  async query(promql: string): Promise<MetricQueryResult> {
    let result: QueryResult;
    try {
      result = await this.#driver.instantQuery(collapseWhitespace(promql));
    } catch (error) {
      return describeFailure(error, redactUrl(this.address)); // an address may carry credentials
    }
    return interpretResult(result);
  }

  async isOnline(): Promise<boolean> {
    const result = await this.query('vector(1)');
    return result.kind === 'value' && result.value === 1;
  }
}

function interpretResult(result: QueryResult): MetricQueryResult {
  switch (result.resultType) {
    case 'vector': {
      const series = (result.result as unknown[]).map(toSeriesValue);
      const [only] = series;
      if (only === undefined) return { kind: 'no-values' };
      if (series.length === 1) return Number.isNaN(only.value) ? { kind: 'nan' } : { kind: 'value', value: only.value };
      const last = series[series.length - 1];
      return { kind: 'multiple-series', series, lastValue: last?.value ?? Number.NaN };
    }
    case 'scalar': {
      const value = Number((result.result as unknown as [number, string])[1]);
      return Number.isNaN(value) ? { kind: 'nan' } : { kind: 'value', value };
    }
    case 'matrix':
      return queryError('MetricQueryReturnedRange', 'query returned a range vector; metric queries must be instant');
    case 'string':
      return queryError('MetricQueryReturnedString', 'query returned a string, not a number');
    default:
      return queryError('MetricQueryFailed', `query returned an unknown result type "${String(result.resultType)}"`);
  }
}

/** prometheus-query's InstantVector: `{ metric: { name, labels } | null, value: { time, value } }`. */
function toSeriesValue(entry: unknown): MetricSeriesValue {
  const vector = entry as {
    metric?: { name?: string; labels?: Record<string, string> } | null;
    value?: { value?: unknown };
  };
  const labels: Record<string, string> = { ...vector.metric?.labels };
  if (vector.metric?.name) labels['__name__'] = vector.metric.name;
  return { labels, value: Number(vector.value?.value) };
}

/** prometheus-query rejects with a plain object: `{ status, errorType, error, httpStatus? }`. */
function describeFailure(error: unknown, address: string): MetricQueryResult {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as {
    errorType?: string;
    error?: unknown;
    httpStatus?: number;
    message?: unknown;
  };
  const detail = String(failure.error ?? failure.message ?? error);
  switch (failure.errorType) {
    case 'timeout_error':
      return queryError('MetricQueryTimedOut', `Prometheus ${address} did not answer in time: ${detail}`);
    case 'network_error':
    case 'ssl_error':
      return queryError('MetricsProviderUnreachable', `Prometheus ${address} is unreachable: ${detail}`);
    default: {
      const status = failure.httpStatus === undefined ? '' : ` (HTTP ${failure.httpStatus})`;
      return queryError('MetricQueryFailed', `Prometheus query failed${status}: ${detail}`);
    }
  }
}

/**
 * A proxy or auth gateway in front of Prometheus answers errors in its own format, which the driver reports only
 * as "unexpected client error"; rewrite such answers into Prometheus' error shape so the status and body survive.
 */
function explainNonPrometheusError(error: unknown): Promise<never> {
  const response = (error as { response?: { status?: number; data?: unknown } } | null)?.response;
  if (response !== undefined) {
    const data = response.data as { status?: unknown } | string | null | undefined;
    if (typeof data !== 'object' || data === null || data.status == null) {
      const body = typeof data === 'string' ? data.replace(/\s+/g, ' ').trim().slice(0, 256) : '';
      response.data = { status: 'error', error: body === '' ? `HTTP ${response.status}` : body };
    }
  }
  return Promise.reject(error);
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
