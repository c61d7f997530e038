import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** What the state file keeps about each process we started; enough to find and stop it from another process. */
export interface ProcessRecord {
  component: string;
  pid: number;
  executable: string;
  logFile: string;
}

export interface SpawnSpec {
  component: string;
  executable: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A network namespace of /run/netns to run in (nsenter joins only that one, then execs the executable). */
  netns?: string;
}

/** A process started by this Node process; `exitReason()` is set once it has exited. */
export interface SpawnedProcess {
  record: ProcessRecord;
  exitReason(): string | undefined;
}

/**
 * Starts a component detached in its own process group (so stop can signal the group, and Ctrl-C on the CLI does not
 * reach it), with stdout and stderr appended to its log file. The child is unref'd so `up` can exit and leave it running.
 */
export function spawnComponent(spec: SpawnSpec): SpawnedProcess {
  const logFd = openSync(spec.logFile, 'a');
  let exitReason: string | undefined;
  try {
    const [command, args] =
      spec.netns === undefined
        ? [spec.executable, spec.args]
        : ['nsenter', [`--net=/run/netns/${spec.netns}`, '--', spec.executable, ...spec.args]];
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    });
    if (child.pid === undefined) throw new Error(`${spec.component}: could not start ${spec.executable}`);
    child.on('error', (error) => {
      exitReason = `failed to run: ${error.message}`;
    });
    child.on('exit', (code, signal) => {
      exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
    });
    child.unref();
    return {
      record: { component: spec.component, pid: child.pid, executable: spec.executable, logFile: spec.logFile },
      exitReason: () => exitReason,
    };
  } finally {
    closeSync(logFd);
  }
}

/** True while the pid exists and is not a zombie (a zombie has exited; only its parent has not reaped it yet). */
export function isProcessAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function readCmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
  } catch {
    return undefined;
  }
}

/**
 * Guards against pid reuse before killing a recorded pid: the live process must run the recorded executable and
 * mention our run dir in its arguments (every component gets a path under the run dir).
 */
export function isRecordedProcess(record: ProcessRecord, runDir: string): boolean {
  const cmdline = readCmdline(record.pid);
  if (cmdline === undefined || cmdline[0] !== record.executable) return false;
  return cmdline.slice(1).some((arg) => arg.includes(runDir));
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Group already gone; fall back to the process itself in case it left its group.
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

export interface StopOutcome {
  component: string;
  pid: number;
  /** `not-ours` means the pid now belongs to some other program, so it was left alone. */
  result: 'terminated' | 'killed' | 'already-gone' | 'not-ours';
}

/** SIGTERM to the process group, wait up to `graceMs`, then SIGKILL; never touches a pid that is not ours. */
export async function stopProcess(record: ProcessRecord, runDir: string, graceMs = 10_000): Promise<StopOutcome> {
  const outcome = (result: StopOutcome['result']): StopOutcome => ({
    component: record.component,
    pid: record.pid,
    result,
  });
  if (!isProcessAlive(record.pid)) return outcome('already-gone');
  if (!isRecordedProcess(record, runDir)) return outcome('not-ours');
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(record.pid)) return outcome('terminated');
    await delay(50);
  }
  signalGroup(record.pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (isProcessAlive(record.pid) && Date.now() < killDeadline) await delay(50);
  return outcome('killed');
}

/** The last `lines` lines of a log file (read from its last 64 KiB), for failure messages. */
export function tailFile(path: string, lines = 25): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return `(no log at ${path})`;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
