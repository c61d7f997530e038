/**
 * Test support (not shipped behaviour): a real local HTTP target, the real test loader on a free loopback port with
 * its log lines captured, a tiny HTTP client, and waiting on a condition with a deadline instead of sleeping.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import {
  DEFAULT_TESTLOADER_CONFIG,
  startTestLoader,
  type RunningTestLoader,
  type TestLoaderConfig,
} from '../test-loader.ts';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request arrived */
  readonly at: number;
}

export interface TargetServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Answers 200 "ok", or the status in the path for /status/<code>. */
export async function startTargetServer(): Promise<TargetServer> {
  const requests: ReceivedRequest[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      requests.push({
        method: request.method ?? '',
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      });
      const status = /^\/status\/(\d{3})/.exec(path)?.[1];
      response.writeHead(status ? Number(status) : 200, { 'Content-Type': 'text/plain' });
      response.end('ok');
    });
  });
  server.on('connection', () => connections++);
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () => closeServer(server),
  };
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

export interface LoaderUnderTest {
  readonly loader: RunningTestLoader;
  readonly url: string;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

export async function startLoaderUnderTest(overrides: Partial<TestLoaderConfig> = {}): Promise<LoaderUnderTest> {
  const logs: LogLine[] = [];
  const stream = new PassThrough({ objectMode: true });
  stream.on('data', (entry: LogLine) => logs.push(entry));
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  const loader = await startTestLoader(
    { ...DEFAULT_TESTLOADER_CONFIG, address: '127.0.0.1', port: 0, ...overrides },
    logger,
  );
  return {
    loader,
    url: loader.url,
    logs,
    close: async () => {
      await loader.close(5000);
      logger.close();
    },
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export async function send(
  url: string,
  options: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** POSTs a Flagger webhook payload. */
export async function postPayload(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return send(url, { body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json', ...headers } });
}

/** Polls `condition` until it is truthy or the deadline passes (then throws, naming what was awaited). */
export async function waitFor<T>(
  description: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
