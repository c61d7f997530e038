// Linnet's test loader (packages/testloader, Flagger's load tester API) as a child process of an e2e suite: its
// /gate/* and /rollback/* endpoints are the manual gates the scenarios open and close, and its /metrics count how
// often the controller asked.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const TESTLOADER_MAIN = fileURLToPath(new URL('../../../../testloader/src/main.ts', import.meta.url));

export interface TestLoaderProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly pid: number;
  /** Opens (or closes) the gate `<name>.<namespace>` checked by /gate/check. */
  setGate(name: string, namespace: string, open: boolean): Promise<void>;
  /** Opens (or closes) the rollback gate `rollback.<name>.<namespace>` checked by /rollback/check. */
  setRollbackGate(name: string, namespace: string, open: boolean): Promise<void>;
  /** linnet_testloader_http_requests_total for a path, summed over status codes (or for one code). */
  requestCount(path: string, code?: number): Promise<number>;
  /** The process's output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node packages/testloader/src/main.ts --port 0` on 127.0.0.1 and waits for its start-up line. `args` are
 * further flags, e.g. `--token-file=…` or `--mesh-simulator-url=…`; `token` is the one those flags give it, sent on
 * the helpers' own requests.
 */
export async function startTestLoader(
  options: { startTimeoutMs?: number; args?: readonly string[]; token?: string } = {},
): Promise<TestLoaderProcess> {
  const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const args = [TESTLOADER_MAIN, '--port', '0', '--address', '127.0.0.1', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (line: string): void => {
    lines.push(line);
    if (lines.length > 400) lines.shift();
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => keep(chunk.trimEnd()));
  const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`test loader did not start within ${options.startTimeoutMs ?? 30_000} ms`)),
      options.startTimeoutMs ?? 30_000,
    );
    stdout.on('line', (line) => {
      keep(line);
      try {
        const record = JSON.parse(line) as { port?: unknown };
        if (typeof record.port === 'number') {
          clearTimeout(timer);
          resolve(record.port);
        }
      } catch {
        // Not a JSON log line.
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`test loader exited (${code ?? signal}) before listening:\n${lines.join('\n')}`));
    });
  });

  const url = `http://127.0.0.1:${port}`;
  const post = async (path: string, name: string, namespace: string): Promise<void> => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body: JSON.stringify({ name, namespace }),
    });
    if (response.status !== 202) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  };

  return {
    url,
    pid: child.pid ?? -1,
    setGate: (name, namespace, open) => post(open ? '/gate/open' : '/gate/close', name, namespace),
    setRollbackGate: (name, namespace, open) => post(open ? '/rollback/open' : '/rollback/close', name, namespace),
    async requestCount(path, code) {
      const text = await (await fetch(`${url}/metrics`, { headers: authorization })).text();
      let total = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith('linnet_testloader_http_requests_total{')) continue;
        if (!line.includes(`path="${path}"`)) continue;
        if (code !== undefined && !line.includes(`code="${code}"`)) continue;
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return total;
    },
    output: () => lines.join('\n'),
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
