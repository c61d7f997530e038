import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Runs the real `linnet` entry point as a child process, the way a user or CI runs it.

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface LinnetResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningLinnet {
  /** Resolves as soon as stdout matches (checked on every chunk); rejects if the process ends first. */
  waitForOutput(pattern: RegExp): Promise<string>;
  /** Resolves when the process has ended. */
  finished: Promise<LinnetResult>;
  interrupt(): void;
}

export function startLinnet(args: readonly string[], stdin?: string): RunningLinnet {
  const child: ChildProcess = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const outputWaiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of outputWaiters) check();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin?.end(stdin ?? '');
  let ended = false;
  const finished = new Promise<LinnetResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      ended = true;
      resolve({ code, stdout, stderr });
      for (const check of outputWaiters) check();
    });
  });
  return {
    finished,
    interrupt: () => child.kill('SIGINT'),
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(stdout)) {
            outputWaiters.delete(check);
            resolve(stdout);
          } else if (ended) {
            outputWaiters.delete(check);
            reject(new Error(`linnet ${args.join(' ')} ended without printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        outputWaiters.add(check);
        check();
      });
    },
  };
}

export function runLinnet(args: readonly string[], stdin?: string): Promise<LinnetResult> {
  return startLinnet(args, stdin).finished;
}
