import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebhookClient } from './axios-webhook-client.ts';
import { runRollbackWebhooks, runWebhooksUntilFailure } from './run-webhooks.ts';
import type { WebhookCallRequest, WebhookDefinition } from './webhook-types.ts';

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Respond = (request: RecordedRequest, response: ServerResponse) => void;

interface TestServer {
  url: string;
  requests: RecordedRequest[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A real loopback server on a free port that records each request and answers with `respond`. */
async function startServer(respond: Respond, tls?: { key: string; cert: string }): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      respond(recorded, res);
    });
  };
  const server = tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/hook`, requests };
}

function status(code: number, body = ''): Respond {
  return (_request, response) => {
    response.writeHead(code, { 'Content-Type': 'text/plain' });
    response.end(body);
  };
}

/** Answers with the given status codes in order, repeating the last one. */
function sequence(...codes: number[]): Respond {
  let index = 0;
  return (request, response) => {
    const code = codes[Math.min(index, codes.length - 1)] ?? 200;
    index += 1;
    status(code, `answer ${index}`)(request, response);
  };
}

// Retries are real, only the backoff is shortened so the suite stays fast.
const client = createWebhookClient({ retryBackoff: { minMs: 1, maxMs: 5 } });

function request(webhook: Partial<WebhookDefinition> & { url: string }): WebhookCallRequest {
  return {
    webhook: { name: 'gate', ...webhook },
    canary: { name: 'podinfo', namespace: 'test' },
    phase: 'Progressing',
    checksum: '5d6f8c9b7',
  };
}

describe('webhook success is status ≤ 202', () => {
  it.each([200, 201, 202])('%i passes', async (code) => {
    const server = await startServer(status(code, 'ok'));
    const result = await client.call(request({ url: server.url }));
    expect(result).toMatchObject({ succeeded: true, reason: 'WebhookSucceeded', statusCode: code, attempts: 1 });
    expect(result.message).toBe(`webhook gate returned ${code}`);
  });

  it.each([203, 204, 400, 403, 404, 501])('%i fails without retrying', async (code) => {
    const server = await startServer(status(code, code === 204 ? '' : 'Forbidden\n'));
    const result = await client.call(request({ url: server.url, retries: 3 }));
    expect(result).toMatchObject({ succeeded: false, reason: 'WebhookRejected', statusCode: code, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(result.message).toBe(`webhook gate returned ${code}: ${code === 204 ? '(empty body)' : 'Forbidden'}`);
  });

  it('fails on 500 and reports the body', async () => {
    const server = await startServer(status(500, 'boom: database down'));
    const result = await client.call(request({ url: server.url }));
    expect(result).toMatchObject({ succeeded: false, statusCode: 500, bodySnippet: 'boom: database down' });
    expect(result.message).toBe('webhook gate returned 500: boom: database down');
  });

  it('truncates long bodies in the snippet', async () => {
    const server = await startServer(status(403, 'x'.repeat(1000)));
    const result = await client.call(request({ url: server.url }));
    expect(result.bodySnippet).toBe(`${'x'.repeat(256)}…`);
  });
});

describe('payload', () => {
  it('POSTs Flagger’s JSON payload with the hook type and metadata', async () => {
    const server = await startServer(status(200));
    await client.call(
      request({ url: server.url, type: 'pre-rollout', metadata: { type: 'bash', cmd: 'curl -s http://podinfo' } }),
    );
    const [received] = server.requests;
    expect(received?.method).toBe('POST');
    expect(received?.path).toBe('/hook');
    expect(received?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received?.body ?? '')).toEqual({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: '5d6f8c9b7',
      type: 'pre-rollout',
      metadata: { type: 'bash', cmd: 'curl -s http://podinfo' },
    });
  });

  it('omits empty metadata and sends an unset type as rollout', async () => {
    const server = await startServer(status(200));
    await client.call(request({ url: server.url, type: '', metadata: {} }));
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: '5d6f8c9b7',
      type: 'rollout',
    });
  });

  it('sends events with reserved metadata keys that hook metadata cannot override', async () => {
    const server = await startServer(status(202));
    const result = await client.sendEvent({
      ...request({ url: server.url, type: 'event', metadata: { cluster: 'eu-1', eventType: 'spoofed' } }),
      phase: 'Failed',
      event: {
        message: 'Canary failed! Scaling down podinfo.test',
        eventType: 'Warning',
        timestampMs: 1_700_000_000_123,
      },
    });
    expect(result).toMatchObject({ succeeded: true, type: 'event' });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Failed',
      checksum: '5d6f8c9b7',
      type: 'event',
      metadata: {
        cluster: 'eu-1',
        eventMessage: 'Canary failed! Scaling down podinfo.test',
        eventType: 'Warning',
        timestamp: '1700000000123',
      },
    });
  });
});

describe('timeouts and retries', () => {
  it('times out a hook that never answers', async () => {
    const server = await startServer(() => undefined);
    const result = await client.call(request({ url: server.url, timeout: '200ms' }));
    expect(result).toMatchObject({ succeeded: false, reason: 'WebhookTimedOut', attempts: 1 });
    expect(result.statusCode).toBeUndefined();
    expect(result.message).toBe(`webhook gate timed out after 200ms (POST ${server.url})`);
  });

  it('retries timeouts too', async () => {
    const server = await startServer(() => undefined);
    const result = await client.call(request({ url: server.url, timeout: '100ms', retries: 1 }));
    expect(result).toMatchObject({ reason: 'WebhookTimedOut', attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('retries 5xx and succeeds when the hook recovers', async () => {
    const server = await startServer(sequence(503, 502, 200));
    const result = await client.call(request({ url: server.url, retries: 2 }));
    expect(result).toMatchObject({ succeeded: true, statusCode: 200, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it('retries 429', async () => {
    const server = await startServer(sequence(429, 200));
    const result = await client.call(request({ url: server.url, retries: 1 }));
    expect(result).toMatchObject({ succeeded: true, attempts: 2 });
  });

  it('gives up after the configured retries and keeps the last body', async () => {
    const server = await startServer(sequence(503));
    const result = await client.call(request({ url: server.url, retries: 2 }));
    expect(result).toMatchObject({ succeeded: false, statusCode: 503, attempts: 3 });
    expect(result.message).toBe('webhook gate returned 503 after 3 attempts: answer 3');
  });

  it('does not retry without retries (Flagger default 0)', async () => {
    const server = await startServer(sequence(503, 200));
    const result = await client.call(request({ url: server.url }));
    expect(result).toMatchObject({ succeeded: false, attempts: 1 });
  });

  it('reports an unreachable hook', async () => {
    const server = await startServer(status(200));
    const closed = servers.pop();
    closed?.closeAllConnections();
    await new Promise<void>((resolve) => closed?.close(() => resolve()));
    const result = await client.call(request({ url: server.url, retries: 1 }));
    expect(result).toMatchObject({ succeeded: false, reason: 'WebhookUnreachable', attempts: 2 });
    expect(result.message).toMatch(
      /^webhook gate could not reach http:\/\/127\.0\.0\.1:\d+\/hook after 2 attempts: .*ECONNREFUSED/,
    );
  });

  it('rejects an invalid timeout without calling', async () => {
    const server = await startServer(status(200));
    const result = await client.call(request({ url: server.url, timeout: 'soon' }));
    expect(result).toMatchObject({ succeeded: false, reason: 'WebhookInvalid', attempts: 0 });
    expect(result.message).toBe('webhook gate has an invalid timeout "soon"');
    expect(server.requests).toHaveLength(0);
  });

  it('treats a one-character timeout as the 10s default, like Flagger', async () => {
    const server = await startServer(status(200));
    const result = await client.call(request({ url: server.url, timeout: '5' }));
    expect(result.succeeded).toBe(true);
  });

  it('rejects an unknown type', async () => {
    const result = await client.call(request({ url: 'http://127.0.0.1:1/', type: 'pre-flight' }));
    expect(result).toMatchObject({ reason: 'WebhookInvalid', message: 'webhook gate has unknown type "pre-flight"' });
  });
});

describe('TLS', () => {
  function selfSignedCertificate(): { key: string; cert: string } {
    const dir = mkdtempSync(join(tmpdir(), 'linnet-webhook-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const pair = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    rmSync(dir, { recursive: true, force: true });
    return pair;
  }

  it('verifies certificates unless disableTLS is set', async () => {
    const server = await startServer(status(200, 'ok'), selfSignedCertificate());
    const verified = await client.call(request({ url: server.url, retries: 2 }));
    expect(verified).toMatchObject({ succeeded: false, reason: 'WebhookTLSError', attempts: 1 });
    expect(verified.message).toContain('disableTLS');

    const skipped = await client.call(request({ url: server.url, disableTLS: true }));
    expect(skipped).toMatchObject({ succeeded: true, statusCode: 200 });
  });
});

describe('muteAlert and URL credentials', () => {
  it('surfaces muteAlert and redacts credentials in messages', async () => {
    const server = await startServer(() => undefined);
    const url = `${server.url.replace('http://', 'http://user:secret@')}?token=query-secret#fragment-secret`;
    const result = await client.call(request({ url, timeout: '50ms', muteAlert: true }));
    expect(result.muteAlert).toBe(true);
    expect(result.message).not.toContain('secret');
    expect(result.message).toContain('(credentials, query and fragment hidden)');
  });
});

describe('running hooks of a type', () => {
  it('runs gates in spec order and stops at the first failure', async () => {
    const pass = await startServer(status(200));
    const fail = await startServer(status(403, 'closed'));
    const never = await startServer(status(200));
    const hooks: WebhookDefinition[] = [
      { name: 'rollout-check', url: pass.url },
      { name: 'a', url: pass.url, type: 'confirm-promotion' },
      { name: 'b', url: fail.url, type: 'confirm-promotion' },
      { name: 'c', url: never.url, type: 'confirm-promotion' },
    ];
    const run = await runWebhooksUntilFailure(client, hooks, 'confirm-promotion', {
      canary: { name: 'podinfo', namespace: 'test' },
      phase: 'Progressing',
      checksum: 'x',
    });
    expect(run.passed).toBe(false);
    expect(run.results.map((r) => r.webhook)).toEqual(['a', 'b']);
    expect(never.requests).toHaveLength(0);
    expect(pass.requests).toHaveLength(1);
  });

  it('counts untyped hooks as rollout hooks', async () => {
    const pass = await startServer(status(200));
    const run = await runWebhooksUntilFailure(client, [{ name: 'load', url: pass.url }], 'rollout', {
      canary: { name: 'podinfo', namespace: 'test' },
      phase: 'Progressing',
      checksum: 'x',
    });
    expect(run).toMatchObject({ passed: true, results: [{ webhook: 'load', type: 'rollout' }] });
  });

  it('rolls back on the first rollback hook that succeeds', async () => {
    const closed = await startServer(status(403));
    const open = await startServer(status(200, 'Approved'));
    const later = await startServer(status(200));
    const run = await runRollbackWebhooks(
      client,
      [
        { name: 'r1', url: closed.url, type: 'rollback' },
        { name: 'r2', url: open.url, type: 'rollback' },
        { name: 'r3', url: later.url, type: 'rollback' },
      ],
      { canary: { name: 'podinfo', namespace: 'test' }, phase: 'Progressing', checksum: 'x' },
    );
    expect(run.rollbackRequested).toBe(true);
    expect(run.results.map((r) => [r.webhook, r.succeeded])).toEqual([
      ['r1', false],
      ['r2', true],
    ]);
    expect(later.requests).toHaveLength(0);
  });
});
