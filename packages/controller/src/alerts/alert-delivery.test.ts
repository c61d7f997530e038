// The dispatcher with the real HTTP poster, against loopback receivers: one that records, one that hangs, one that
// answers 500, and a forward proxy.
import { afterEach, describe, expect, it } from '@jest/globals';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { createLogger } from '../observability/index.ts';
import {
  answer,
  closeLoopbackServers,
  neverAnswer,
  startLoopbackServer,
  type Respond,
} from '../testing/loopback-server.ts';
import { AlertDispatcher, type AlertResult } from './alert-dispatcher.ts';
import { AlertProviderProblem } from './alert-destinations.ts';
import type { AlertDestination, AlertNotice } from './alert-notice.ts';
import type { AlertJob } from './alert-routing.ts';
import { createAlertPoster } from './post-alert.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  viaProxy: boolean;
}

afterEach(closeLoopbackServers);

/** A loopback server's base URL (alert URLs carry their own paths). */
async function listen(respond: Respond): Promise<string> {
  return (await startLoopbackServer(respond, { path: '' })).url;
}

async function receiver(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const url = await listen((request, response) => {
    received.push({
      path: request.path,
      headers: request.headers,
      body: JSON.parse(request.body) as unknown,
      viaProxy: request.headers['x-forwarded-by'] === 'test-proxy',
    });
    answer(status, status < 300 ? 'ok' : 'no')(request, response);
  });
  return { url, received };
}

/** A forward proxy: takes absolute-form requests and passes them on, marking them. */
async function forwardProxy(): Promise<{ url: string; forwarded: string[] }> {
  const forwarded: string[] = [];
  const url = await listen((request, response) => {
    const target = new URL(request.path);
    forwarded.push(target.host);
    const upstream = httpRequest(
      target,
      { method: request.method, headers: { ...request.headers, 'x-forwarded-by': 'test-proxy' } },
      (upstreamAnswer) => {
        response.writeHead(upstreamAnswer.statusCode ?? 502, upstreamAnswer.headers);
        upstreamAnswer.pipe(response);
      },
    );
    upstream.end(request.body);
  });
  return { url, forwarded };
}

const notice: AlertNotice = {
  canary: { name: 'backend', namespace: 'shop' },
  severity: 'error',
  text: 'Failed checks threshold reached 2',
  fields: [],
};

function job(destination: AlertDestination): AlertJob {
  return { route: { kind: 'global', destination }, notice };
}

function destination(provider: string, url: string, extra: Partial<AlertDestination> = {}): AlertDestination {
  return { provider, type: 'slack', url, username: 'flagger', channel: 'ops', ...extra };
}

function dispatcherWithLog(options: { capacity?: number; attemptTimeoutMs?: number } = {}) {
  const results: Array<[string, AlertResult]> = [];
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'debug', stream });
  const dispatcher = new AlertDispatcher({
    resolve: async (route) => {
      if (route.kind === 'global') return route.destination;
      throw new AlertProviderProblem(`AlertProvider ${route.namespace}/${route.name} not found`);
    },
    post: createAlertPoster(),
    onResult: (provider, result) => results.push([provider, result]),
    retries: 2,
    retryDelayMs: 10,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 2_000,
    ...(options.capacity !== undefined && { capacity: options.capacity }),
  });
  return { dispatcher, results, lines, logger };
}

describe('alert delivery', () => {
  it('posts the JSON with a Bearer token, through a proxy when one is set, and counts it sent', async () => {
    const chat = await receiver();
    const proxy = await forwardProxy();
    const { dispatcher, results, logger } = dispatcherWithLog();
    dispatcher.enqueue(job(destination('flags/slack', `${chat.url}/services/T/B/x`, { token: 'xoxb-1' })), { logger });
    dispatcher.enqueue(job(destination('ops/proxied', `${chat.url}/proxied`, { proxy: proxy.url })), { logger });
    await dispatcher.drain();
    expect(results).toEqual([
      ['flags/slack', 'sent'],
      ['ops/proxied', 'sent'],
    ]);
    const direct = chat.received.find((call) => call.path === '/services/T/B/x');
    expect(direct?.headers.authorization).toBe('Bearer xoxb-1');
    expect(direct?.headers['content-type']).toBe('application/json');
    expect(direct?.body).toMatchObject({
      channel: 'ops',
      attachments: [{ color: 'danger', author_name: 'backend.shop' }],
    });
    expect(direct?.viaProxy).toBe(false);
    expect(chat.received.find((call) => call.path === '/proxied')?.viaProxy).toBe(true);
    expect(proxy.forwarded).toEqual([new URL(chat.url).host]);
  });

  it('retries a 500 twice then gives up; does not retry a 4xx; never logs the URL or the token', async () => {
    const failing = await receiver(500);
    const refusing = await receiver(403);
    const { dispatcher, results, lines, logger } = dispatcherWithLog();
    dispatcher.enqueue(job(destination('ops/failing', `${failing.url}/secret-path`, { token: 'xoxb-secret' })), {
      logger,
    });
    dispatcher.enqueue(job(destination('ops/refusing', `${refusing.url}/secret-path`)), { logger });
    await dispatcher.drain();
    expect(results).toEqual(
      expect.arrayContaining([
        ['ops/failing', 'failed'],
        ['ops/refusing', 'failed'],
      ]),
    );
    expect(failing.received).toHaveLength(3);
    expect(refusing.received).toHaveLength(1);
    const failures = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'alert not delivered',
          provider: 'ops/failing',
          reason: 'AlertRejected',
          statusCode: 500,
          attempts: 3,
        }),
        expect.objectContaining({
          message: 'alert not delivered',
          provider: 'ops/refusing',
          statusCode: 403,
          attempts: 1,
        }),
      ]),
    );
    expect(lines.join('\n')).not.toMatch(/secret-path|xoxb-secret|127\.0\.0\.1/);
  });

  it('keeps a hanging provider from holding up the others, and times it out per attempt', async () => {
    const hanging = await listen(neverAnswer);
    const chat = await receiver();
    const { dispatcher, results, logger } = dispatcherWithLog({ attemptTimeoutMs: 300 });
    dispatcher.enqueue(job(destination('ops/hanging', hanging)), { logger });
    dispatcher.enqueue(job(destination('ops/chat', chat.url)), { logger });
    const chatDone = Date.now();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (results.some(([provider]) => provider === 'ops/chat')) resolve();
        else setImmediate(check);
      };
      check();
    });
    // The chat alert arrived while the hanging provider was still on its first attempt.
    expect(results).toEqual([['ops/chat', 'sent']]);
    expect(Date.now() - chatDone).toBeLessThan(300);
    await dispatcher.drain();
    expect(results).toEqual([
      ['ops/chat', 'sent'],
      ['ops/hanging', 'failed'],
    ]);
  });

  it('drops alerts beyond its capacity of waiting ones, and counts providers it cannot use as invalid', async () => {
    const chat = await receiver();
    const { dispatcher, results, logger } = dispatcherWithLog({ capacity: 1 });
    // The first is being sent at once, the second waits, the third finds the queue full.
    for (let count = 0; count < 3; count++) dispatcher.enqueue(job(destination('ops/chat', chat.url)), { logger });
    await dispatcher.drain();
    expect(results).toEqual([
      ['ops/chat', 'dropped'],
      ['ops/chat', 'sent'],
      ['ops/chat', 'sent'],
    ]);
    expect(chat.received).toHaveLength(2);
    const problems: string[] = [];
    dispatcher.enqueue(
      { route: { kind: 'provider', namespace: 'ops', name: 'missing' }, notice },
      { logger, onProviderProblem: (reason, message) => problems.push(`${reason}: ${message}`) },
    );
    await dispatcher.drain();
    expect(results.at(-1)).toEqual(['ops/missing', 'invalid']);
    expect(problems).toEqual(['AlertProviderInvalid: alert not sent: AlertProvider ops/missing not found']);
  });

  it('abandons a hung delivery and the queued alerts at shutdown, after the drain timeout', async () => {
    const hanging = await listen(neverAnswer);
    const results: Array<[string, AlertResult]> = [];
    const dispatcher = new AlertDispatcher({
      resolve: async (route) => (route.kind === 'global' ? route.destination : Promise.reject(new Error('unused'))),
      post: createAlertPoster(),
      onResult: (provider, result) => results.push([provider, result]),
      attemptTimeoutMs: 60_000,
      drainTimeoutMs: 100,
    });
    const logger = createLogger({ level: 'error', stream: new PassThrough() });
    dispatcher.enqueue(job(destination('ops/hanging', hanging)), { logger });
    dispatcher.enqueue(job(destination('ops/hanging', hanging)), { logger });
    await dispatcher.drain();
    expect(results).toEqual([
      ['ops/hanging', 'dropped'],
      ['ops/hanging', 'dropped'],
    ]);
  });
});
