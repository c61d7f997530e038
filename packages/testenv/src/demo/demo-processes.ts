import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive } from '../processes.ts';
import { waitFor } from '../wait.ts';

/**
 * The demo's child processes (test loader, controller): each in its own process group with its output in a log file
 * (never the terminal), so that `--keep` can leave them running after the demo exits. Their pids are recorded so that
 * the next demo, or `npm run demo -- --stop`, stops exactly them (checked against /proc/<pid>/cmdline).
 */
export interface DemoProcess {
  readonly name: string;
  readonly pid: number;
  readonly mainFile: string;
  readonly logFile: string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** Lets the demo exit while this process runs on (--keep). */
  detach(): void;
}

export interface ProcessRecordFile {
  processes: { name: string; pid: number; mainFile: string; logFile: string }[];
}

export function startDemoProcess(options: {
  name: string;
  /** The script run with this Node; with `command`, a string on that command line that identifies the process. */
  mainFile: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Run this instead of `node <mainFile> <args>` (the controller image in a runc container). */
  command?: { program: string; args: readonly string[] };
}): DemoProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const output = openSync(options.logFile, 'a');
  const [program, args] = options.command
    ? [options.command.program, options.command.args]
    : [process.execPath, [options.mainFile, ...options.args]];
  const child = spawn(program, args, {
    stdio: ['ignore', output, output],
    detached: true,
    env: options.env ?? process.env,
  });
  closeSync(output);
  let exitDescription: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve(exitDescription);
    });
    child.once('error', (error) => {
      exitDescription = `spawn failed: ${error.message}`;
      resolve(exitDescription);
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.mainFile})`);
  return {
    name: options.name,
    pid: child.pid,
    mainFile: options.mainFile,
    logFile: options.logFile,
    exited,
    hasExited: () => exitDescription !== undefined,
    detach: () => child.unref(),
  };
}

/** JSON log lines of `process` so far (other lines are skipped). */
export function readJsonLog(logFile: string): Record<string, unknown>[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

export function logTail(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) return '(no log)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Waits for the log line that carries the bound port (`"port": N`) and returns the port. */
export async function waitForPortLine(
  process_: DemoProcess,
  matches: (line: Record<string, unknown>) => boolean,
  timeoutMs: number,
): Promise<number> {
  return waitFor(
    `${process_.name} to start listening`,
    async () => {
      const line = readJsonLog(process_.logFile).find(matches);
      if (typeof line?.port === 'number') return line.port;
      if (process_.hasExited()) {
        throw new Error(
          `${process_.name} exited during start-up (${await process_.exited}):\n${logTail(process_.logFile)}`,
        );
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 100, explainTimeout: () => logTail(process_.logFile) },
  );
}

/** SIGTERM to the process group, wait for the exit (at most `graceMs`), then SIGKILL. */
export async function stopDemoProcess(process_: DemoProcess, graceMs = 15_000): Promise<string> {
  if (process_.hasExited()) return process_.exited;
  signalGroup(process_.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(process_.pid, 'SIGKILL'), graceMs);
  const result = await process_.exited;
  clearTimeout(timer);
  return result;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function writeProcessRecord(file: string, processes: readonly DemoProcess[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const record: ProcessRecordFile = {
    processes: processes.map(({ name, pid, mainFile, logFile }) => ({ name, pid, mainFile, logFile })),
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Stops the processes recorded in `file` by an earlier demo (a --keep run, or one that was killed), each only if
 * its /proc/<pid>/cmdline still runs the recorded main file; removes the record. Returns what it stopped.
 */
export async function stopRecordedProcesses(file: string, graceMs = 15_000): Promise<string[]> {
  if (!existsSync(file)) return [];
  let record: ProcessRecordFile;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as ProcessRecordFile;
  } catch {
    rmSync(file, { force: true });
    return [];
  }
  const stopped: string[] = [];
  for (const entry of record.processes) {
    if (!isProcessAlive(entry.pid) || !commandLineOf(entry.pid).includes(entry.mainFile)) continue;
    signalGroup(entry.pid, 'SIGTERM');
    try {
      await waitFor(
        `${entry.name} (pid ${entry.pid}) to stop`,
        async () => (isProcessAlive(entry.pid) ? undefined : true),
        {
          timeoutMs: graceMs,
          intervalMs: 100,
        },
      );
    } catch {
      signalGroup(entry.pid, 'SIGKILL');
    }
    stopped.push(`${entry.name} (pid ${entry.pid})`);
  }
  rmSync(file, { force: true });
  return stopped;
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}
