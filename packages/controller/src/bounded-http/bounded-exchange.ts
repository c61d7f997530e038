// One HTTP request and its answer, bounded end to end: a single deadline covers connecting, the headers and the
// whole body (a server that drips one byte a second cannot hold a caller longer than the deadline), the body is
// capped in bytes, and the caller can abort at any moment. Every caller of an external HTTP endpoint (webhooks,
// Prometheus, alert receivers) goes through here, so each bound is enforced in one place.
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { MAX_TIMER_MS } from '@linnet/api';

export interface BoundedRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Sent as is; Content-Length is set from it. */
  body?: string;
  /** One deadline for the whole exchange, in ms (1 … 2^31−1). */
  deadlineMs: number;
  /** The answer is refused once its body exceeds this many bytes. */
  maxBodyBytes: number;
  /** Aborts the exchange (a deleted Canary, a lost leadership term); reported as `Aborted`. */
  signal?: AbortSignal | undefined;
  /**
   * An http:// proxy; https targets are tunnelled through it with CONNECT. Without one, HTTP_PROXY, HTTPS_PROXY and
   * NO_PROXY (either case) of `environment` apply, as Go's http.ProxyFromEnvironment does for Flagger.
   */
  proxyUrl?: string | undefined;
  /** Where the proxy variables are read when `proxyUrl` is not set; default process.env. */
  environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** Skip TLS certificate verification. */
  insecureSkipVerify?: boolean | undefined;
  /** Redirects followed, as Go's http.Client does (default 10); all of them within the one deadline. */
  maxRedirects?: number | undefined;
}

export interface ExchangeResponse {
  kind: 'response';
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Machine reasons of an exchange that produced no complete answer. */
export type ExchangeFailureReason =
  'TimedOut' | 'Aborted' | 'BodyTooLarge' | 'NetworkError' | 'TLSError' | 'InvalidRequest';

export interface ExchangeFailure {
  kind: 'failure';
  reason: ExchangeFailureReason;
  /** Says what went wrong without the URL (a hook URL can be a secret); callers add the context they may show. */
  message: string;
  /** Node's error code, when there was one (ECONNREFUSED, CERT_HAS_EXPIRED, …). */
  code?: string;
}

export type ExchangeResult = ExchangeResponse | ExchangeFailure;

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 10;

/** Performs the exchange, following redirects; never throws and never outlives `deadlineMs`. */
export async function boundedExchange(request: BoundedRequest): Promise<ExchangeResult> {
  const problem = requestProblem(request);
  if (problem !== undefined) return failure('InvalidRequest', problem);
  const deadlineAt = performance.now() + request.deadlineMs;
  let hop = request;
  for (let redirects = 0; ; redirects++) {
    const remainingMs = Math.max(1, Math.ceil(deadlineAt - performance.now()));
    const result = await exchangeOnce(hop, remainingMs);
    const location = result.kind === 'response' ? result.headers.location : undefined;
    if (result.kind === 'failure' || !REDIRECT_STATUSES.has(result.status) || location === undefined) return result;
    if (redirects >= (request.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) return result;
    const next = redirectTarget(hop, result.status, location);
    if (next === undefined)
      return failure('InvalidRequest', `redirected to "${location}", which is not an http(s) URL`);
    hop = next;
  }
}

/**
 * Go's rules: 301/302/303 turn a POST into a GET without body, 307/308 repeat it; credentials are not sent to
 * another host.
 */
function redirectTarget(request: BoundedRequest, status: number, location: string): BoundedRequest | undefined {
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  const sameHost = target.host === new URL(request.url).host;
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).filter(([name]) => sameHost || name.toLowerCase() !== 'authorization'),
  );
  const keepsBody = status === 307 || status === 308;
  const { body: _dropped, ...withoutBody } = request;
  return keepsBody
    ? { ...request, url: target.toString(), headers }
    : { ...withoutBody, method: 'GET', url: target.toString(), headers };
}

/** One request and its answer within `deadlineMs`; the message names the whole exchange's deadline. */
function exchangeOnce(request: BoundedRequest, deadlineMs: number): Promise<ExchangeResult> {
  if (request.signal?.aborted === true) return Promise.resolve(failure('Aborted', 'aborted before it started'));
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';

  return new Promise((resolve) => {
    const proxyAgent =
      request.proxyUrl === undefined ? environmentProxyAgent(secure, request) : newProxyAgent(secure, request);
    let settled = false;
    let phase: 'waiting for the headers' | 'reading the body' = 'waiting for the headers';
    let outgoing: ClientRequest | undefined;
    let response: IncomingMessage | undefined;

    const finish = (result: ExchangeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.signal?.removeEventListener('abort', onAbort);
      // A complete answer leaves its socket to the agent for reuse; anything else closes it.
      if (result.kind === 'failure') {
        outgoing?.destroy();
        response?.destroy();
      }
      proxyAgent?.destroy();
      resolve(result);
    };
    const deadline = setTimeout(
      () => finish(failure('TimedOut', `timed out after ${formatSeconds(request.deadlineMs)} (${phase})`)),
      deadlineMs,
    );
    const onAbort = (): void => finish(failure('Aborted', `aborted while ${phase}`));
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
    const send = secure ? httpsRequest : httpRequest;
    try {
      outgoing = send(
        url,
        {
          method: request.method,
          headers,
          ...(proxyAgent !== undefined && { agent: proxyAgent }),
          ...(secure && request.insecureSkipVerify === true && { rejectUnauthorized: false }),
        },
        (incoming) => {
          response = incoming;
          phase = 'reading the body';
          const declared = Number(incoming.headers['content-length']);
          if (declared > request.maxBodyBytes) {
            finish(tooLarge(request.maxBodyBytes));
            return;
          }
          const chunks: Buffer[] = [];
          let received = 0;
          incoming.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > request.maxBodyBytes) finish(tooLarge(request.maxBodyBytes));
            else chunks.push(chunk);
          });
          incoming.on('end', () =>
            finish({
              kind: 'response',
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          incoming.on('error', (error) => finish(fromError(error, phase)));
          incoming.on('close', () => {
            if (!incoming.complete)
              finish(failure('NetworkError', 'the connection closed before the answer was complete'));
          });
        },
      );
    } catch (error) {
      // Headers with characters HTTP forbids are refused synchronously.
      finish(fromError(error instanceof Error ? error : new Error(String(error)), phase));
      return;
    }
    outgoing.on('error', (error) => finish(fromError(error, phase)));
    outgoing.end(request.body);
  });
}

function requestProblem(request: BoundedRequest): string | undefined {
  if (!Number.isInteger(request.deadlineMs) || request.deadlineMs < 1 || request.deadlineMs > MAX_TIMER_MS) {
    return `deadline ${request.deadlineMs} ms is not between 1 ms and ${MAX_TIMER_MS} ms`;
  }
  if (!Number.isSafeInteger(request.maxBodyBytes) || request.maxBodyBytes < 0) {
    return `body limit ${request.maxBodyBytes} is not a number of bytes`;
  }
  const protocol = parsedProtocol(request.url);
  if (protocol !== 'http:' && protocol !== 'https:') return `"${request.url}" is not an http or https URL`;
  if (request.proxyUrl !== undefined && parsedProtocol(request.proxyUrl) !== 'http:') {
    return 'the proxy must be an http:// URL';
  }
  return undefined;
}

function parsedProtocol(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}

/** Node's agents speak to an HTTP proxy themselves (CONNECT for https targets); one agent per exchange. */
function newProxyAgent(secure: boolean, request: BoundedRequest): HttpAgent {
  const proxy = request.proxyUrl ?? '';
  // An empty NO_PROXY keeps Node from bypassing the proxy for any host, loopback included.
  return secure
    ? new HttpsAgent({
        proxyEnv: { HTTPS_PROXY: proxy, NO_PROXY: '' },
        ...(request.insecureSkipVerify === true && { rejectUnauthorized: false }),
      })
    : new HttpAgent({ proxyEnv: { HTTP_PROXY: proxy, NO_PROXY: '' } });
}

/** An agent honouring the environment's proxy variables, or undefined when none applies to this scheme. */
function environmentProxyAgent(secure: boolean, request: BoundedRequest): HttpAgent | undefined {
  const environment = request.environment ?? process.env;
  const names = secure ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'];
  if (!names.some((name) => environment[name])) return undefined;
  const proxyEnv = { ...environment };
  return secure
    ? new HttpsAgent({ proxyEnv, ...(request.insecureSkipVerify === true && { rejectUnauthorized: false }) })
    : new HttpAgent({ proxyEnv });
}

function fromError(error: Error, phase: string): ExchangeFailure {
  const code = errorCode(error);
  const detail = code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  if (code !== undefined && TLS_ERROR_CODES.has(code)) return failure('TLSError', detail, code);
  if (code === 'ERR_INVALID_URL' || code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return failure('InvalidRequest', detail, code);
  }
  return failure('NetworkError', phase === 'reading the body' ? `${detail} (${phase})` : detail, code);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function tooLarge(maxBodyBytes: number): ExchangeFailure {
  return failure('BodyTooLarge', `answer larger than ${maxBodyBytes} bytes`);
}

function failure(reason: ExchangeFailureReason, message: string, code?: string): ExchangeFailure {
  return code === undefined ? { kind: 'failure', reason, message } : { kind: 'failure', reason, message, code };
}

/** "5 s", "0.25 s", for messages read by people. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
