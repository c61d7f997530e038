import { afterEach, describe, expect, it } from '@jest/globals';
import {
  answer as status,
  closeLoopbackServer,
  closeLoopbackServers,
  dripFeed,
  neverAnswer,
  selfSignedCertificate,
  startLoopbackServer,
  type Respond,
} from '../testing/loopback-server.ts';
import { createWebhookClient } from './webhook-client.ts';
import { runRollbackWebhooks, runWebhooksUntilFailure } from './run-webhooks.ts';
import type { WebhookCallRequest, WebhookDefinition } from './webhook-types.ts';

afterEach(closeLoopbackServers);

const startServer = (respond: Respond, tls?: { key: string; cert: string }) =>
  startLoopbackServer(respond, tls === undefined ? {} : { tls });

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
    const server = await startServer(neverAnswer);
    const result = await client.call(request({ url: server.url, timeout: '200ms' }));
    expect(result).toMatchObject({ succeeded: false, reason: 'WebhookTimedOut', attempts: 1 });
    expect(result.statusCode).toBeUndefined();
    expect(result.message).toBe(`webhook gate timed out after 200ms (POST ${server.url})`);
  });

  it('retries timeouts too', async () => {
    const server = await startServer(neverAnswer);
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
    await closeLoopbackServer(server);
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

describe('bounds', () => {
  async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    const value = await work;
    return { value, ms: performance.now() - started };
  }

  it('times out a hook that drip-feeds its answer at the deadline, not at the first byte', async () => {
    const server = await startServer(dripFeed(50));
    const { value, ms } = await timed(client.call(request({ url: server.url, timeout: '300ms' })));
    expect(value).toMatchObject({
      reason: 'WebhookTimedOut',
      message: `webhook gate timed out after 300ms (POST ${server.url})`,
    });
    expect(ms).toBeLessThan(1_300);
  });

  it('caps retries at 10 (11 attempts), whatever the spec asks', async () => {
    const server = await startServer(sequence(503));
    const result = await client.call(request({ url: server.url, retries: 1_000 }));
    expect(result).toMatchObject({ succeeded: false, attempts: 11 });
    expect(server.requests).toHaveLength(11);
  });

  it('ends a call with all its retries and pauses within timeout × (retries + 1)', async () => {
    const slowBackoff = createWebhookClient({ retryBackoff: { minMs: 50, maxMs: 50 } });
    const server = await startServer(neverAnswer);
    const { value, ms } = await timed(slowBackoff.call(request({ url: server.url, timeout: '200ms', retries: 2 })));
    // 200 ms + 50 ms pause + 200 ms + 50 ms pause leave the third attempt only what remains of the 600 ms budget.
    expect(value).toMatchObject({ reason: 'WebhookTimedOut', attempts: 3 });
    expect(value.message).toMatch(/^webhook gate timed out after \d+ms \(POST .*\) after 3 attempts$/);
    expect(ms).toBeGreaterThanOrEqual(590);
    expect(ms).toBeLessThan(1_300);
  });

  it('refuses an answer larger than the cap without retrying', async () => {
    const small = createWebhookClient({ maxResponseBytes: 100, retryBackoff: { minMs: 1, maxMs: 5 } });
    const server = await startServer(status(500, 'e'.repeat(1_000)));
    const result = await small.call(request({ url: server.url, retries: 3 }));
    expect(result).toMatchObject({ succeeded: false, reason: 'WebhookAnswerTooLarge', attempts: 1 });
    expect(result.message).toBe(
      `webhook gate answered with more than 100 bytes (POST ${server.url}); the limit is the -webhook-max-answer-bytes flag`,
    );
  });

  it('stops at once when the caller aborts, during an attempt or a pause between attempts', async () => {
    const hanging = await startServer(neverAnswer);
    const duringAttempt = new AbortController();
    setTimeout(() => duringAttempt.abort(), 100);
    const first = await timed(
      client.call({ ...request({ url: hanging.url, timeout: '10s', retries: 5 }), signal: duringAttempt.signal }),
    );
    expect(first.value).toMatchObject({ reason: 'WebhookAborted', attempts: 1 });
    expect(first.ms).toBeLessThan(1_000);

    const failing = await startServer(sequence(503));
    const slowBackoff = createWebhookClient({ retryBackoff: { minMs: 10_000, maxMs: 10_000 } });
    const duringPause = new AbortController();
    setTimeout(() => duringPause.abort(), 100);
    const second = await timed(
      slowBackoff.call({ ...request({ url: failing.url, retries: 5 }), signal: duringPause.signal }),
    );
    expect(second.value).toMatchObject({ reason: 'WebhookAborted', attempts: 1 });
    expect(second.value.message).toBe(`webhook gate was cancelled before it answered (POST ${failing.url})`);
    expect(second.ms).toBeLessThan(1_000);
  });

  it('refuses a timeout no timer can hold', async () => {
    const server = await startServer(status(200));
    const result = await client.call(request({ url: server.url, timeout: '36000m' }));
    expect(result).toMatchObject({ reason: 'WebhookInvalid', attempts: 0 });
    expect(server.requests).toHaveLength(0);
  });
});

describe('TLS', () => {
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
    const server = await startServer(neverAnswer);
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
