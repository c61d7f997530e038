import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSilentLogger, describeError } from '../observability/logger.ts';
import type { Logger } from '../observability/logger.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../observability/metrics-registry.ts';
import { evaluateReadiness } from './readiness.ts';
import type { ReadinessCheck } from './readiness.ts';

export interface HealthServerOptions {
  /** Renders /metrics. */
  metrics: { render(): string | Promise<string> };
  readinessChecks: readonly ReadinessCheck[];
  logger?: Logger;
}

export interface RunningHealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The controller's HTTP endpoints:
 * - GET /healthz → 200 "OK" while the process serves requests (liveness);
 * - GET /readyz → 200 when every readiness check passes, else 503; the body lists each check;
 * - GET /metrics → Prometheus text format.
 */
export function createHealthServer(options: HealthServerOptions): Server {
  const logger = options.logger ?? createSilentLogger();
  return createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      logger.error('http handler failed', { path: request.url, ...describeError(error) });
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('internal error\n');
    });
  });
}

async function route(request: IncomingMessage, response: ServerResponse, options: HealthServerOptions): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('method not allowed\n');
    return;
  }
  switch (path) {
    case '/healthz':
      send(response, 200, 'text/plain; charset=utf-8', 'OK');
      return;
    case '/readyz': {
      const report = evaluateReadiness(options.readinessChecks);
      const body = report.checks.map((check) => `[${check.ready ? '+' : '-'}]${check.name}: ${check.message}`);
      body.push(report.ready ? 'ready' : 'not ready');
      send(response, report.ready ? 200 : 503, 'text/plain; charset=utf-8', `${body.join('\n')}\n`);
      return;
    }
    case '/metrics':
      send(response, 200, PROMETHEUS_CONTENT_TYPE, await options.metrics.render());
      return;
    default:
      send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** Start listening; port 0 picks a free port (tests). */
export async function startHealthServer(
  options: HealthServerOptions & { port: number; host?: string },
): Promise<RunningHealthServer> {
  const server = createHealthServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (Prometheus scrapers) would otherwise hold close() open.
        server.closeIdleConnections();
      }),
  };
}
