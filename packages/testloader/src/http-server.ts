import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { checkBearerToken, isNamespaceAllowed } from './auth.ts';
import { gateKey, rollbackGateKey, type GateStore } from './gate-store.ts';
import { PROMETHEUS_CONTENT_TYPE } from './metrics-registry.ts';
import type { TaskExecutor } from './task-executor.ts';
import { redactCommandLine } from './command-redaction.ts';
import { planTask, type TaskPolicy } from './task-plan.ts';
import type { TestLoaderMetrics } from './test-loader-metrics.ts';
import { parseWebhookPayload, type WebhookPayload } from './webhook-payload.ts';

/**
 * The HTTP API of Flagger's load tester, with its paths, status codes and bodies:
 *
 *   /healthz          200 "OK"
 *   /metrics          200 Prometheus text
 *   /gate/approve     200 "OK"                 /gate/halt       403 "Forbidden"
 *   /gate/check       200 "Approved" if gate name.namespace is open, else 403 "Forbidden"
 *   /gate/open|close  202 ""
 *   /rollback/check   200 "Approved" if gate rollback.name.namespace is open, else 403 "Forbidden"
 *   /rollback/open|close 202 ""
 *   any other path    a task (task-plan.ts): 202 "" (async) / 200 or 500 (blocking) / 400, 403 with a message
 *
 * Any method is accepted, as in Flagger. Before that: 401 without the bearer token (when one is configured), 413 for a
 * body over the limit, 400 for a body that is not a payload, 403 "Forbidden" for a namespace outside
 * --namespace-regexp.
 */
export interface HttpApiDependencies {
  readonly logger: Logger;
  readonly metrics: TestLoaderMetrics;
  readonly gates: GateStore;
  readonly executor: TaskExecutor;
  readonly policy: TaskPolicy;
  readonly token: string | undefined;
  /** Serve /healthz without the token, for kubelet probes. */
  readonly unauthenticatedHealthz: boolean;
  readonly namespacePattern: RegExp | undefined;
  readonly maxBodyBytes: number;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type PayloadHandler = (payload: WebhookPayload) => Promise<Answer>;

const TEXT = 'text/plain; charset=utf-8';
const OK: Answer = { status: 200, body: 'OK' };
const FORBIDDEN: Answer = { status: 403, body: 'Forbidden' };
const ACCEPTED: Answer = { status: 202, body: '' };
/** Past this, the rest of an oversized body is not even drained: the connection is dropped. */
const DRAIN_FACTOR = 16;

export function createHttpApi(dependencies: HttpApiDependencies): RequestListener {
  const { logger, metrics, gates } = dependencies;

  const gateCheck =
    (keyOf: (payload: WebhookPayload) => string, what: string): PayloadHandler =>
    async (payload) => {
      const key = keyOf(payload);
      const approved = gates.isOpen(key);
      logger.info(`${key} ${what} check: approved ${approved}`, { canary: payload.name, namespace: payload.namespace });
      return approved ? { status: 200, body: 'Approved' } : FORBIDDEN;
    };
  const gateChange =
    (keyOf: (payload: WebhookPayload) => string, open: boolean, what: string): PayloadHandler =>
    async (payload) => {
      const key = keyOf(payload);
      try {
        await (open ? gates.open(key) : gates.close(key));
      } catch (error) {
        logger.error(`${key} ${what} could not be saved: ${(error as Error).message}`, { reason: 'GateStateNotSaved' });
        return { status: 500, body: `the gate state could not be saved: ${(error as Error).message}` };
      }
      logger.info(`${key} ${what} ${open ? 'opened' : 'closed'}`, {
        canary: payload.name,
        namespace: payload.namespace,
      });
      return ACCEPTED;
    };
  const gateOf = (payload: WebhookPayload): string => gateKey(payload.name, payload.namespace);
  const rollbackOf = (payload: WebhookPayload): string => rollbackGateKey(payload.name, payload.namespace);

  const payloadRoutes = new Map<string, PayloadHandler>([
    ['/gate/check', gateCheck(gateOf, 'gate')],
    ['/gate/open', gateChange(gateOf, true, 'gate')],
    ['/gate/close', gateChange(gateOf, false, 'gate')],
    ['/rollback/check', gateCheck(rollbackOf, 'rollback')],
    ['/rollback/open', gateChange(rollbackOf, true, 'rollback')],
    ['/rollback/close', gateChange(rollbackOf, false, 'rollback')],
  ]);
  const bodylessRoutes = new Map<string, () => Answer>([
    ['/healthz', () => OK],
    [
      '/metrics',
      () => ({ status: 200, body: metrics.registry.expose(), headers: { 'Content-Type': PROMETHEUS_CONTENT_TYPE } }),
    ],
    ['/gate/approve', () => OK],
    ['/gate/halt', () => FORBIDDEN],
  ]);

  const runTask: PayloadHandler = async (payload) => {
    const plan = planTask(payload, dependencies.policy);
    if (plan.kind === 'refused') {
      metrics.tasksRefused.labels({ reason: plan.reason }).inc();
      logger.warn(`task refused: ${redactCommandLine(plan.message)}`, {
        canary: payload.name,
        namespace: payload.namespace,
        reason: plan.reason,
      });
      return { status: plan.status, body: plan.message };
    }
    const answer = await dependencies.executor.execute(plan);
    return { status: answer.status, body: answer.body, headers: { 'X-Linnet-Task': answer.taskState } };
  };

  const handle = async (request: IncomingMessage): Promise<Answer> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (dependencies.token !== undefined && !(dependencies.unauthenticatedHealthz && path === '/healthz')) {
      const check = checkBearerToken(request.headers.authorization, dependencies.token);
      if (check !== 'allowed') {
        request.resume();
        logger.warn(
          `unauthorised request to ${path}: ${check === 'missing' ? 'no bearer token' : 'wrong bearer token'}`,
        );
        return {
          status: 401,
          body: 'Unauthorized',
          headers: { 'WWW-Authenticate': 'Bearer realm="linnet-testloader"' },
        };
      }
    }
    const bodyless = bodylessRoutes.get(path);
    if (bodyless) {
      request.resume();
      return bodyless();
    }
    const body = await readBody(request, dependencies.maxBodyBytes);
    if (!body.ok) return body.answer;
    const payload = parseWebhookPayload(body.text);
    if (!payload.ok) {
      logger.warn(`decoding the request body failed: ${payload.error}`, { path });
      return { status: 400, body: payload.error };
    }
    if (!isNamespaceAllowed(dependencies.namespacePattern, payload.value.namespace)) {
      logger.warn(`namespace ${JSON.stringify(payload.value.namespace)} does not match --namespace-regexp`, {
        canary: payload.value.name,
        namespace: payload.value.namespace,
        path,
      });
      return FORBIDDEN;
    }
    return (payloadRoutes.get(path) ?? runTask)(payload.value);
  };

  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const pathLabel = bodylessRoutes.has(path) || payloadRoutes.has(path) ? path : '/';
    handle(request)
      .catch((error: unknown): Answer => {
        logger.error(`request to ${path} failed: ${(error as Error).message}`, { reason: 'InternalError' });
        return { status: 500, body: 'internal error' };
      })
      .then((answer) => {
        metrics.httpRequests.labels({ path: pathLabel, code: String(answer.status) }).inc();
        if (response.headersSent || response.destroyed) return;
        const headers: Record<string, string | number> = {
          'Content-Type': TEXT,
          'Content-Length': Buffer.byteLength(answer.body),
          ...answer.headers,
        };
        response.writeHead(answer.status, headers);
        response.end(answer.body);
      })
      .catch((error: unknown) => {
        logger.error(`writing the response to ${path} failed: ${(error as Error).message}`);
      });
  };
}

type BodyRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly answer: Answer };

async function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const tooLarge: BodyRead = {
    ok: false,
    answer: {
      status: 413,
      body: `the request body is larger than the limit of ${limit} bytes`,
      headers: { Connection: 'close' },
    },
  };
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) {
    request.resume();
    return tooLarge;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of request) {
      const buffer = chunk as Buffer;
      received += buffer.length;
      if (received <= limit) chunks.push(buffer);
      else if (received > limit * DRAIN_FACTOR) {
        request.destroy();
        return tooLarge;
      }
    }
  } catch (error) {
    return { ok: false, answer: { status: 400, body: `reading the request body failed: ${(error as Error).message}` } };
  }
  if (received > limit) return tooLarge;
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
