/** The entry point as a process: flags, the listening log line, serving, and a clean stop on SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from '@jest/globals';
import { send, waitFor } from './testing/local-servers.ts';

const MAIN = join(import.meta.dirname, 'main.ts');

interface Started {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function startMain(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      lines.push({ message: line });
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, stderr: () => stderr, exited };
}

describe('main', () => {
  it('listens on the port it logs, serves the API, and stops on SIGTERM', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'linnet-main-'));
    try {
      const tokenFile = join(directory, 'token');
      await writeFile(tokenFile, 's3cret\n');
      const started = startMain(['--port', '0', '--address', '127.0.0.1', '--token-file', tokenFile]);
      const ready = await waitFor('the listening log line', () =>
        started.lines.find((line) => String(line['message']).startsWith('Starting Linnet test loader')),
      );
      expect(ready).toMatchObject({ level: 'info', tokenRequired: true, shellTasks: false });
      const url = `http://127.0.0.1:${String(ready['port'])}`;
      expect(await send(`${url}/healthz`, { method: 'GET' })).toMatchObject({ status: 401 });
      expect(
        await send(`${url}/healthz`, { method: 'GET', headers: { Authorization: 'Bearer s3cret' } }),
      ).toMatchObject({ status: 200, body: 'OK' });
      started.child.kill('SIGTERM');
      expect(await started.exited).toBe(0);
      expect(started.lines.some((line) => line['message'] === 'HTTP server stopped')).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 20_000);

  it('exits with status 2 and the usage on a bad flag', async () => {
    const started = startMain(['--enable-shell']);
    expect(await started.exited).toBe(2);
    expect(started.stderr()).toMatch(/^testloader: flag provided but not defined: -enable-shell\n\nUsage: testloader/);
  }, 20_000);

  it('prints its version', async () => {
    const started = startMain(['--version']);
    expect(await started.exited).toBe(0);
    expect(started.lines).toEqual([{ message: '0.1.0' }]);
  }, 20_000);
});
