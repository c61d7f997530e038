import { METHODS } from 'node:http';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/** What a load run does: the normalised form of both a `hey` command and the structured `type: load` metadata. */
export interface LoadSpec {
  readonly url: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Header name → value; includes Host when overridden. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** Read at start (hey -D); mutually exclusive with body. */
  readonly bodyFile: string | undefined;
  /** Concurrent connections (hey -c). */
  readonly concurrency: number;
  /** Total requests per second over all connections; undefined = as fast as possible. */
  readonly ratePerSecond: number | undefined;
  /** Run length; undefined = until requestCount responses (hey -n). */
  readonly durationMs: number | undefined;
  /** Total requests; used when durationMs is undefined. */
  readonly requestCount: number | undefined;
  /** Per-request timeout (hey -t). */
  readonly requestTimeoutMs: number;
  /** false = a new TCP connection for every request (hey -disable-keepalive). */
  readonly keepAlive: boolean;
}

export const LOAD_LIMITS = {
  maxConcurrency: 10_000,
  maxRatePerSecond: 1_000_000,
  maxRequestCount: 2_147_483_647,
  maxBodyFileBytes: 1024 * 1024,
} as const;

const SUPPORTED_METHODS = new Set(METHODS);

/** Shared checks for both task forms; returns the spec, with its URL normalised, when it is runnable. */
export function checkLoadSpec(spec: LoadSpec): ParseResult<LoadSpec> {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return parseFailure(`invalid URL ${JSON.stringify(spec.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return parseFailure(`unsupported protocol scheme ${JSON.stringify(url.protocol.replace(/:$/, ''))} in URL`);
  }
  if (url.hostname === '') return parseFailure(`URL ${JSON.stringify(spec.url)} has no host`);
  if (!SUPPORTED_METHODS.has(spec.method))
    return parseFailure(`unsupported HTTP method ${JSON.stringify(spec.method)}`);
  if (!Number.isInteger(spec.concurrency) || spec.concurrency < 1) {
    return parseFailure(`concurrency must be a whole number of at least 1 (got ${spec.concurrency})`);
  }
  if (spec.concurrency > LOAD_LIMITS.maxConcurrency) {
    return parseFailure(`concurrency ${spec.concurrency} exceeds the limit of ${LOAD_LIMITS.maxConcurrency}`);
  }
  if (spec.ratePerSecond !== undefined) {
    if (!Number.isFinite(spec.ratePerSecond) || spec.ratePerSecond <= 0) {
      return parseFailure(`rate must be a positive number of requests per second (got ${spec.ratePerSecond})`);
    }
    if (Math.round(spec.ratePerSecond) < 1) {
      return parseFailure(
        `a total rate of ${spec.ratePerSecond} requests per second is below the minimum of 1 request per second`,
      );
    }
    if (spec.ratePerSecond > LOAD_LIMITS.maxRatePerSecond) {
      return parseFailure(`rate ${spec.ratePerSecond} exceeds the limit of ${LOAD_LIMITS.maxRatePerSecond} per second`);
    }
  }
  if (spec.durationMs !== undefined && (!Number.isFinite(spec.durationMs) || spec.durationMs <= 0)) {
    return parseFailure(`duration must be positive (got ${spec.durationMs} ms)`);
  }
  if (spec.durationMs === undefined) {
    const count = spec.requestCount;
    if (count === undefined || !Number.isInteger(count) || count < 1) {
      return parseFailure('either a duration or a request count of at least 1 is required');
    }
    if (count > LOAD_LIMITS.maxRequestCount) {
      return parseFailure(`request count ${count} exceeds the limit of ${LOAD_LIMITS.maxRequestCount}`);
    }
    if (count < spec.concurrency) return parseFailure('the request count cannot be less than the concurrency');
  }
  if (!Number.isFinite(spec.requestTimeoutMs) || spec.requestTimeoutMs < 1000) {
    return parseFailure(`the request timeout must be at least 1s (got ${spec.requestTimeoutMs} ms)`);
  }
  if (spec.body !== undefined && spec.bodyFile !== undefined) {
    return parseFailure('a request body and a body file cannot both be given');
  }
  for (const [name, value] of Object.entries(spec.headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return parseFailure(`invalid header name ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(value)) return parseFailure(`invalid value for header ${name}`);
  }
  // The WHATWG form: strips stray control characters and normalises the host, so what runs is what is reported.
  return parsed({ ...spec, url: url.href });
}

/** Sets a header the way Go's http.Header.Set does: one value per case-insensitive name, the last one wins. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) {
    if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  }
  headers[canonicalHeaderName(name)] = value;
}

/** Go's textproto.CanonicalMIMEHeaderKey: "content-type" → "Content-Type". */
export function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]?.toUpperCase() + part.slice(1).toLowerCase()))
    .join('-');
}
