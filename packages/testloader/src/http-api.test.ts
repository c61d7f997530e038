/**
 * The whole API contract, over HTTP, against the real service on a free loopback port (and a real local target for
 * load tasks). Paths, status codes and bodies follow Flagger's load tester (reference §7.2).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  postPayload,
  send,
  startLoaderUnderTest,
  startTargetServer,
  waitFor,
  type LoaderUnderTest,
  type TargetServer,
} from './testing/local-servers.ts';

const canary = { name: 'podinfo', namespace: 'test', phase: 'Progressing', checksum: 'abc' };

describe('test loader HTTP API (defaults)', () => {
  let service: LoaderUnderTest;
  let target: TargetServer;
  beforeAll(async () => {
    [service, target] = await Promise.all([startLoaderUnderTest(), startTargetServer()]);
  });
  afterAll(async () => {
    await Promise.all([service.close(), target.close()]);
  });

  it('GET /healthz → 200 OK', async () => {
    expect(await send(`${service.url}/healthz`, { method: 'GET' })).toMatchObject({ status: 200, body: 'OK' });
  });

  it('GET /metrics → 200 in the Prometheus text format', async () => {
    const answer = await send(`${service.url}/metrics`, { method: 'GET' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answer.body).toContain('# TYPE linnet_testloader_info gauge\nlinnet_testloader_info{version="0.1.0"} 1');
  });

  it('/gate/approve → 200 OK and /gate/halt → 403 Forbidden, whatever the body', async () => {
    expect(await send(`${service.url}/gate/approve`, { body: 'not even json' })).toMatchObject({
      status: 200,
      body: 'OK',
    });
    expect(await postPayload(`${service.url}/gate/approve`, canary)).toMatchObject({ status: 200, body: 'OK' });
    expect(await send(`${service.url}/gate/halt`, { method: 'GET' })).toMatchObject({ status: 403, body: 'Forbidden' });
  });

  it('/gate/check is closed until /gate/open, per canary, and closes again with /gate/close', async () => {
    const gate = { name: 'gated', namespace: 'test' };
    expect(await postPayload(`${service.url}/gate/check`, gate)).toMatchObject({ status: 403, body: 'Forbidden' });
    expect(await postPayload(`${service.url}/gate/open`, gate)).toMatchObject({ status: 202, body: '' });
    expect(await postPayload(`${service.url}/gate/check`, { ...gate, phase: 'Progressing' })).toMatchObject({
      status: 200,
      body: 'Approved',
    });
    expect(await postPayload(`${service.url}/gate/check`, { ...gate, namespace: 'prod' })).toMatchObject({
      status: 403,
    });
    expect(await postPayload(`${service.url}/rollback/check`, gate)).toMatchObject({ status: 403, body: 'Forbidden' });
    expect(await postPayload(`${service.url}/gate/close`, gate)).toMatchObject({ status: 202, body: '' });
    expect(await postPayload(`${service.url}/gate/check`, gate)).toMatchObject({ status: 403, body: 'Forbidden' });
  });

  it('/rollback/check is closed until /rollback/open, and closes again with /rollback/close', async () => {
    const gate = { name: 'rolled', namespace: 'test' };
    expect(await postPayload(`${service.url}/rollback/check`, gate)).toMatchObject({ status: 403, body: 'Forbidden' });
    expect(await postPayload(`${service.url}/rollback/open`, gate)).toMatchObject({ status: 202, body: '' });
    expect(await postPayload(`${service.url}/rollback/check`, gate)).toMatchObject({ status: 200, body: 'Approved' });
    expect(await postPayload(`${service.url}/gate/check`, gate)).toMatchObject({ status: 403 });
    expect(await postPayload(`${service.url}/rollback/close`, gate)).toMatchObject({ status: 202, body: '' });
    expect(await postPayload(`${service.url}/rollback/check`, gate)).toMatchObject({ status: 403, body: 'Forbidden' });
  });

  it('exports gate states on /metrics', async () => {
    await postPayload(`${service.url}/gate/open`, { name: 'shown', namespace: 'test' });
    const answer = await send(`${service.url}/metrics`, { method: 'GET' });
    expect(answer.body).toContain('linnet_testloader_gate_open{gate="shown.test"} 1');
  });

  it.each(['/gate/check', '/gate/open', '/gate/close', '/rollback/check', '/rollback/open', '/rollback/close', '/'])(
    '%s → 400 with a message for a body that is not JSON',
    async (path) => {
      const answer = await send(`${service.url}${path}`, { body: '{"name":' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/^the payload is not valid JSON: /);
    },
  );

  it('/ starts a hey load task: 202, and 202 "already-running" while the same command runs for the same canary', async () => {
    const command = `hey -z 1s -q 10 -c 1 ${target.url}/dedup`;
    const first = await postPayload(service.url, { ...canary, metadata: { type: 'cmd', cmd: command } });
    const again = await postPayload(service.url, { ...canary, metadata: { type: 'cmd', cmd: command } });
    const otherCanary = await postPayload(service.url, { ...canary, name: 'other', metadata: { cmd: command } });
    expect(first).toMatchObject({ status: 202, body: '', headers: { 'x-linnet-task': 'started' } });
    expect(again).toMatchObject({ status: 202, body: '', headers: { 'x-linnet-task': 'already-running' } });
    expect(otherCanary).toMatchObject({ status: 202, headers: { 'x-linnet-task': 'started' } });
    await waitFor('both load runs to finish', () => service.loader.tasks.list().length === 0);
    expect(service.logs.filter((line) => line.message === `command finished ${command}`)).toHaveLength(2);
    expect(service.logs.some((line) => line.message === `command skipped ${command} is already running`)).toBe(true);
  });

  it('any other path is a task endpoint too, as in Flagger', async () => {
    const command = `hey -n 2 -c 1 ${target.url}/any-path`;
    expect(await postPayload(`${service.url}/load/test`, { ...canary, metadata: { cmd: command } })).toMatchObject({
      status: 202,
    });
    await waitFor(
      'the task on /load/test to run',
      () => target.requests.filter((r) => r.path === '/any-path').length === 2,
    );
  });

  it('runs the structured load form', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: {
        type: 'load',
        url: `${target.url}/structured`,
        rate: '20',
        duration: '500ms',
        method: 'PUT',
        body: 'x',
      },
    });
    expect(answer).toMatchObject({ status: 202, body: '' });
    await waitFor('the load form to finish', () =>
      service.logs.find((line) => line.message.startsWith(`command finished load PUT ${target.url}/structured`)),
    );
    const received = target.requests.filter((request) => request.path === '/structured');
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((request) => request.method === 'PUT' && request.body === 'x')).toBe(true);
  });

  it.each([
    ['no metadata', { ...canary }, 'metadata not found in payload'],
    ['empty metadata', { ...canary, metadata: {} }, 'metadata not found in payload'],
    ['null metadata', { ...canary, metadata: null }, 'metadata not found in payload'],
    ['no cmd', { ...canary, metadata: { type: 'cmd' } }, 'cmd not found in metadata'],
    [
      'an unknown hey flag',
      { ...canary, metadata: { cmd: 'hey -foo 1 http://x/' } },
      'invalid hey command: flag provided but not defined: -foo',
    ],
    [
      'a negative hey rate',
      { ...canary, metadata: { cmd: 'hey -z 1m -q -10 http://x/' } },
      'invalid hey command: -q must not be negative (got -10)',
    ],
    [
      'a negative load rate',
      { ...canary, metadata: { type: 'load', url: 'http://x/', rate: '-1', duration: '1m' } },
      'invalid load task: rate must be a positive number (got "-1")',
    ],
    ['an unknown type', { ...canary, metadata: { type: 'wrk', cmd: 'wrk http://x/' } }, 'unknown task type wrk'],
    [
      'a Flagger integration Linnet lacks',
      { ...canary, metadata: { type: 'concord' } },
      "task type concord is not supported by Linnet's test loader",
    ],
    ['a JSON array', [1, 2], 'the payload must be a JSON object'],
    [
      'a name that is not a string',
      { ...canary, name: 7, metadata: { cmd: 'hey http://x/' } },
      'the payload field name must be a string',
    ],
    [
      'metadata that is not an object',
      { ...canary, metadata: 'hey http://x/' },
      'the payload field metadata must be an object of strings',
    ],
  ])('/ → 400 with a message for %s', async (_case, payload, message) => {
    expect(await postPayload(service.url, payload)).toMatchObject({ status: 400, body: message });
  });

  it.each([
    ['bash', { type: 'bash', cmd: 'echo hi' }],
    ['kubectl', { type: 'kubectl', cmd: 'get pods' }],
    ['helm', { type: 'helm', cmd: 'test podinfo' }],
    ['helmv3', { type: 'helmv3', cmd: 'test podinfo' }],
    ['cmd that is not hey', { type: 'cmd', cmd: 'curl -s http://x/' }],
    ['hey inside a shell pipeline', { type: 'cmd', cmd: 'hey http://x/ | tail -1' }],
  ])('refuses shell task %s by default with 400 and a clear message', async (_case, metadata) => {
    const answer = await postPayload(service.url, { ...canary, metadata });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(
      /shell tasks are disabled — start the test loader with --enable-shell-tasks and --allow-command/,
    );
  });

  it('answers 413 to a body over 1 MiB, and keeps serving', async () => {
    const huge = JSON.stringify({ ...canary, metadata: { cmd: 'hey http://x/', pad: 'x'.repeat(2 * 1024 * 1024) } });
    const answer = await send(service.url, { body: huge, headers: { 'Content-Type': 'application/json' } });
    expect(answer).toMatchObject({ status: 413, body: 'the request body is larger than the limit of 1048576 bytes' });
    const gate = await send(`${service.url}/gate/check`, { body: huge });
    expect(gate.status).toBe(413);
    expect(await send(`${service.url}/healthz`, { method: 'GET' })).toMatchObject({ status: 200, body: 'OK' });
  });

  it('counts requests, tasks and refusals on /metrics', async () => {
    const answer = await send(`${service.url}/metrics`, { method: 'GET' });
    expect(answer.body).toMatch(/linnet_testloader_http_requests_total\{path="\/gate\/check",code="403"\} \d+/);
    expect(answer.body).toMatch(/linnet_testloader_tasks_refused_total\{reason="ShellTasksDisabled"\} 6/);
    expect(answer.body).toMatch(/linnet_testloader_tasks_skipped_total\{type="cmd"\} 1/);
    expect(answer.body).toMatch(
      /linnet_testloader_load_responses_total\{name="podinfo",namespace="test",target="[^"]+\/dedup",code_class="2xx"\} \d+/,
    );
    expect(answer.body).toMatch(/linnet_testloader_load_last_latency_seconds\{[^}]*quantile="0.99"\} [\d.e-]+/);
  });

  it('logs JSON lines carrying the canary', () => {
    const finished = service.logs.find((line) => line.message.startsWith('command finished hey'));
    expect(finished).toMatchObject({ level: 'info', canary: 'podinfo', namespace: 'test', taskType: 'cmd' });
    expect(finished?.['result']).toMatchObject({
      requests: expect.any(Number),
      errors: 0,
      latencyMs: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) },
    });
  });
});

describe('test loader HTTP API with a bearer token', () => {
  let service: LoaderUnderTest;
  let open: LoaderUnderTest;
  beforeAll(async () => {
    [service, open] = await Promise.all([
      startLoaderUnderTest({ token: 's3cret' }),
      startLoaderUnderTest({ token: 's3cret', unauthenticatedHealthz: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([service.close(), open.close()]);
  });

  it.each(['/healthz', '/metrics', '/gate/approve', '/gate/halt', '/gate/check', '/gate/open', '/rollback/check', '/'])(
    '%s → 401 without the token or with a wrong one',
    async (path) => {
      const missing = await postPayload(`${service.url}${path}`, canary);
      expect(missing).toMatchObject({ status: 401, body: 'Unauthorized' });
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="linnet-testloader"');
      const wrong = await postPayload(`${service.url}${path}`, canary, { Authorization: 'Bearer nope' });
      expect(wrong.status).toBe(401);
    },
  );

  it('serves requests with the token', async () => {
    const auth = { Authorization: 'Bearer s3cret' };
    expect(await send(`${service.url}/healthz`, { method: 'GET', headers: auth })).toMatchObject({ status: 200 });
    expect(await postPayload(`${service.url}/gate/open`, canary, auth)).toMatchObject({ status: 202 });
    expect(await postPayload(`${service.url}/gate/check`, canary, auth)).toMatchObject({
      status: 200,
      body: 'Approved',
    });
  });

  it('can leave /healthz open for kubelet probes', async () => {
    expect(await send(`${open.url}/healthz`, { method: 'GET' })).toMatchObject({ status: 200, body: 'OK' });
    expect(await send(`${open.url}/metrics`, { method: 'GET' })).toMatchObject({ status: 401 });
  });
});

describe('test loader HTTP API with --namespace-regexp', () => {
  let service: LoaderUnderTest;
  beforeAll(async () => {
    service = await startLoaderUnderTest({ namespacePattern: /^(test|staging)$/u });
  });
  afterAll(async () => {
    await service.close();
  });

  it.each(['/gate/check', '/gate/open', '/gate/close', '/rollback/check', '/rollback/open', '/rollback/close', '/'])(
    '%s → 403 Forbidden for a namespace that does not match',
    async (path) => {
      const answer = await postPayload(`${service.url}${path}`, {
        name: 'podinfo',
        namespace: 'prod',
        metadata: { cmd: 'hey http://x/' },
      });
      expect(answer).toMatchObject({ status: 403, body: 'Forbidden' });
    },
  );

  it('serves matching namespaces', async () => {
    expect(await postPayload(`${service.url}/gate/open`, { name: 'podinfo', namespace: 'staging' })).toMatchObject({
      status: 202,
    });
    expect(await postPayload(`${service.url}/gate/check`, { name: 'podinfo', namespace: 'staging' })).toMatchObject({
      status: 200,
    });
    expect(service.loader.gates.isOpen('podinfo.prod')).toBe(false);
  });
});

describe('gate state across a restart', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'linnet-testloader-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is lost without --state-file, as in Flagger', async () => {
    const first = await startLoaderUnderTest();
    await postPayload(`${first.url}/gate/open`, canary);
    await first.close();
    const second = await startLoaderUnderTest();
    expect(await postPayload(`${second.url}/gate/check`, canary)).toMatchObject({ status: 403 });
    await second.close();
  });

  it('survives with --state-file', async () => {
    const stateFile = join(directory, 'gates.json');
    const first = await startLoaderUnderTest({ stateFile });
    await postPayload(`${first.url}/gate/open`, canary);
    await postPayload(`${first.url}/rollback/open`, canary);
    await postPayload(`${first.url}/rollback/close`, canary);
    await first.close();
    const second = await startLoaderUnderTest({ stateFile });
    expect(await postPayload(`${second.url}/gate/check`, canary)).toMatchObject({ status: 200, body: 'Approved' });
    expect(await postPayload(`${second.url}/rollback/check`, canary)).toMatchObject({ status: 403 });
    await second.close();
  });
});
