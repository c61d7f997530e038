import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseLoadRequest, type LoadJob, type LoadJobs } from './load-jobs.ts';
import type { MeshSimulator } from './simulator.ts';

/**
 * The simulator's HTTP interface:
 *   GET    /healthz      200 once the cluster caches have synced, 503 before (body: JSON status)
 *   GET    /metrics      Prometheus text exposition of the simulated Istio series
 *   POST   /load         {namespace, service, rate, durationSeconds, sourceWorkload?, sourceNamespace?} → 201 job
 *   GET    /load         running load jobs
 *   DELETE /load/<id>    stop a job (204; 404 if unknown)
 *   GET    /debug/plan   the current traffic plan: per-VirtualService host shares, per-workload rates and
 *                        behaviour (with the P99 Flagger's duration query converges to), and configuration problems
 */

export interface HttpDependencies {
  readonly simulator: MeshSimulator;
  readonly loadJobs: LoadJobs;
  readonly clock: () => number;
  readonly readiness: () => { readonly ready: boolean; readonly detail: Readonly<Record<string, unknown>> };
}

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
}

function describeJob(job: LoadJob): Record<string, unknown> {
  return { ...job, startedAt: new Date(job.startedAtMs).toISOString(), endsAt: new Date(job.endsAtMs).toISOString() };
}

async function route(
  dependencies: HttpDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { simulator, loadJobs, clock, readiness } = dependencies;
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const method = request.method ?? 'GET';
  const allow = (...methods: string[]): void => {
    if (!methods.includes(method)) throw new HttpError(405, `use ${methods.join(' or ')}`);
  };

  if (path === '/healthz') {
    allow('GET', 'HEAD');
    const { ready, detail } = readiness();
    sendJson(response, ready ? 200 : 503, { status: ready ? 'ok' : 'starting', ...detail });
    return;
  }
  if (path === '/metrics') {
    allow('GET', 'HEAD');
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(simulator.metricsText());
    return;
  }
  if (path === '/load') {
    allow('GET', 'POST');
    if (method === 'GET') {
      sendJson(response, 200, { jobs: loadJobs.active(clock()).map(describeJob) });
      return;
    }
    const parsed = parseLoadRequest(await readJson(request));
    if (!parsed.ok) throw new HttpError(400, parsed.error);
    sendJson(response, 201, describeJob(loadJobs.add(parsed.request, clock())));
    return;
  }
  if (path.startsWith('/load/')) {
    allow('DELETE');
    if (!loadJobs.remove(decodeURIComponent(path.slice('/load/'.length)))) throw new HttpError(404, 'no such load job');
    response.writeHead(204).end();
    return;
  }
  if (path === '/debug/plan') {
    allow('GET');
    const { virtualServices, workloads, problems } = simulator.plan;
    sendJson(response, 200, {
      virtualServices,
      workloads,
      problems,
      loadJobs: loadJobs.active(clock()).map(describeJob),
    });
    return;
  }
  throw new HttpError(404, 'not found');
}

export function createSimulatorServer(dependencies: HttpDependencies): Server {
  return createServer((request, response) => {
    route(dependencies, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) sendJson(response, status, { error: message });
      else response.end();
    });
  });
}
