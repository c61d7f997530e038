/**
 * Shell tasks when enabled: run through execa as argument vectors, only when allowed; blocking types answer with the
 * command's result. (Refused by default — see http-api.test.ts; injection forms — see injection-corpus.test.ts.)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_TESTLOADER_CONFIG, startTestLoader } from './test-loader.ts';
import {
  postPayload as postPayloadWithoutToken,
  startLoaderUnderTest,
  waitFor,
  type LoaderUnderTest,
} from './testing/local-servers.ts';
import winston from 'winston';

const canary = { name: 'podinfo', namespace: 'test' };
const token = 'shell-tasks-token';
const postPayload = (url: string, payload: unknown) =>
  postPayloadWithoutToken(url, payload, { Authorization: `Bearer ${token}` });

describe('shell tasks (enabled)', () => {
  let service: LoaderUnderTest;
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'linnet-shell-'));
    service = await startLoaderUnderTest({
      shellTasksEnabled: true,
      allowedCommands: ['echo', 'false', 'sleep', 'kubectl rollout status', 'printf', 'grep', 'tr'],
      token,
    });
  });
  afterAll(async () => {
    await service.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses to start without a token', async () => {
    const logger = winston.createLogger({ silent: true });
    await expect(
      startTestLoader(
        { ...DEFAULT_TESTLOADER_CONFIG, port: 0, shellTasksEnabled: true, allowedCommands: ['echo'] },
        logger,
      ),
    ).rejects.toThrow(/shell tasks need a bearer token/);
  });

  it('bash: 200 with the output of a pipeline run without a shell', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'bash', cmd: `printf 'a b\\n$HOME\\n' | grep '\\$' | tr a-z A-Z`, returnCmdOutput: 'true' },
    });
    // No shell: $HOME stays as written (single quotes), and printf's own escapes are the only ones interpreted.
    expect(answer).toMatchObject({ status: 200, body: '$HOME\n' });
  });

  it('bash: 200 with an empty body by default', async () => {
    expect(await postPayload(service.url, { ...canary, metadata: { type: 'bash', cmd: 'echo quiet' } })).toMatchObject({
      status: 200,
      body: '',
    });
  });

  it('bash: 500 with the error when the command fails', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'bash', cmd: 'echo x | grep -q x /nonexistent/file' },
    });
    expect(answer.status).toBe(500);
    expect(answer.body).toBe(
      'command echo x | grep -q x /nonexistent/file failed: exit status 2: grep: /nonexistent/file: No such file or directory',
    );
  });

  it('bash: 500 when the metadata timeout cuts it short', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'bash', cmd: 'sleep 5', timeout: '200ms' },
    });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatch(/timed out after 200 ms/);
  });

  it('403 for a command outside the allowlist', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'bash', cmd: 'echo ok | touch /tmp/x' },
    });
    expect(answer).toMatchObject({
      status: 403,
      body: 'command "touch /tmp/x" does not start with an allowed prefix (--allow-command)',
    });
    const kubectl = await postPayload(service.url, { ...canary, metadata: { type: 'kubectl', cmd: 'delete ns test' } });
    expect(kubectl.status).toBe(403);
  });

  it('cmd that is not hey runs without a shell in the background (202)', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'cmd', cmd: 'printf background', logCmdOutput: 'true' },
    });
    expect(answer).toMatchObject({ status: 202, body: '' });
    const finished = await waitFor('the background command to finish', () =>
      service.logs.find((line) => line.message === 'command finished printf background'),
    );
    expect(finished).toMatchObject({ output: 'background', canary: 'podinfo', namespace: 'test', exitCode: 0 });
  });

  it('logs neither its own token nor credentials in a command line', async () => {
    const answer = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'bash', cmd: `echo 'Authorization: Bearer cmd-secret-4e1f' | grep -c Authorization` },
    });
    expect(answer).toMatchObject({ status: 200 });
    const refused = await postPayload(service.url, {
      ...canary,
      metadata: { type: 'bash', cmd: `echo http://user:url-secret-9c2d@x/ ; true` },
    });
    expect(refused.status).toBe(403);
    const logged = JSON.stringify(service.logs);
    expect(logged).toContain('command finished echo');
    for (const secret of [token, 'cmd-secret-4e1f', 'url-secret-9c2d']) expect(logged).not.toContain(secret);
  });

  it('runs a blocking task once when the same request arrives twice, and answers both', async () => {
    const marker = join(directory, 'runs');
    const all = await startLoaderUnderTest({ shellTasksEnabled: true, allowedCommands: ['*'], token });
    try {
      const metadata = { type: 'bash', cmd: `echo run >> ${marker}; sleep 0.5` };
      const answers = await Promise.all([
        postPayload(all.url, { ...canary, metadata }),
        postPayload(all.url, { ...canary, metadata }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(await readFile(marker, 'utf8')).toBe('run\n');
    } finally {
      await all.close();
    }
  });
});
