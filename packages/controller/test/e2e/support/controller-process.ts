// The Linnet controller as a child process of an e2e suite (`node packages/controller/src/main.ts <flags>`), the
// way it runs in production: its own informers, queue and HTTP server. The suite finds the HTTP port from the
// "http server listening" log line and keeps every log line for failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitUntil, type WaitOptions } from './deadline.ts';
import { testClusterEnv } from './test-cluster.ts';

const CONTROLLER_MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));

/** Where every e2e controller writes its log file (kept after the run, for post-mortems and the secrets check). */
export const E2E_LOG_DIR = join(tmpdir(), 'linnet-e2e');

/** One JSON log line of the controller (level, message, timestamp, fields). */
export interface ControllerLogLine {
  level?: string;
  message?: string;
  msg?: string;
  [field: string]: unknown;
}

export interface ControllerProcessOptions {
  /**
   * Watch only this namespace (-namespace): each suite runs its own controller on its own namespace, so suites
   * do not interfere. Omit to watch all namespaces.
   */
  namespace?: string;
  /** -min-analysis-interval; default "1s" so test Canaries may use intervals below Flagger's 10 s floor. */
  minAnalysisInterval?: string;
  /** -log-level; default "debug". */
  logLevel?: string;
  /** Further flags, e.g. ["-enable-leader-election", "-event-webhook=http://…"]. */
  extraFlags?: readonly string[];
  /** Extra environment variables (on top of this process's). */
  env?: Record<string, string>;
  /** How long to wait for /readyz; default 60 s. */
  readyTimeoutMs?: number;
  /** Wait for /readyz before returning (default true; a standby replica under leader election is ready too). */
  waitForReady?: boolean;
  /** Name used for the log file; default the namespace or "all". */
  label?: string;
  /**
   * How to start it, given the flags; default `node packages/controller/src/main.ts <flags>`. The image suite runs
   * the controller image in a runc container instead (@linnet/testenv's controller-container.ts).
   */
  launch?: (flags: readonly string[]) => { command: string; args: string[] };
}

export interface ControllerProcess {
  readonly pid: number;
  /** The bound HTTP port (/healthz, /readyz, /metrics). */
  readonly port: number;
  /** Where every output line is written, for post-mortems. */
  readonly logFile: string;
  /** Parsed JSON log lines so far. */
  logs(): ControllerLogLine[];
  /** The last `count` raw output lines, for failure messages. */
  tail(count?: number): string;
  /** Waits for a log line matching `predicate` (checking lines already seen first). */
  waitForLog(
    what: string,
    predicate: (line: ControllerLogLine) => boolean,
    options: WaitOptions,
  ): Promise<ControllerLogLine>;
  /** GET /metrics as text. */
  metrics(): Promise<string>;
  /** Waits until /metrics has a line matching `line` (metrics are updated just after the status write). */
  waitForMetric(line: string | RegExp, options: WaitOptions): Promise<string>;
  /**
   * Waits until the controller has written every Event it queued (they are written in the background): read a
   * Canary's Events after this to see those of the decisions whose status was seen.
   */
  eventsWritten(): Promise<void>;
  /** GET <path> on the controller's HTTP server: status and body. */
  http(path: string): Promise<{ status: number; body: string }>;
  /** True until the process has exited. */
  isRunning(): boolean;
  /** The exit code or signal, once exited. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM (graceful shutdown) and wait for the exit; SIGKILL after `timeoutMs` (default 20 s). */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL at once (a crash) and wait for the exit. */
  kill(): Promise<void>;
}

/** The flags every test controller gets: the testenv's kubeconfig and Prometheus, an ephemeral HTTP port. */
export function controllerFlags(options: ControllerProcessOptions): string[] {
  const env = testClusterEnv();
  return [
    `-kubeconfig=${env.kubeconfig}`,
    `-metrics-server=${env.prometheusUrl}`,
    '-port=0',
    `-log-level=${options.logLevel ?? 'debug'}`,
    `-min-analysis-interval=${options.minAnalysisInterval ?? '1s'}`,
    ...(options.namespace ? [`-namespace=${options.namespace}`] : []),
    ...(options.extraFlags ?? []),
  ];
}

/** Starts the controller and waits until it listens (and, by default, is ready). */
export async function startController(options: ControllerProcessOptions = {}): Promise<ControllerProcess> {
  mkdirSync(E2E_LOG_DIR, { recursive: true });
  const label = options.label ?? options.namespace ?? 'all';
  // The test process's pid in the name tells this run's files from other runs' (the directory is shared).
  const logFile = join(E2E_LOG_DIR, `controller-${label}-${process.pid}-${Date.now()}.log`);
  const logStream: WriteStream = createWriteStream(logFile);

  const flags = controllerFlags(options);
  const { command, args } = options.launch?.(flags) ?? { command: process.execPath, args: [CONTROLLER_MAIN, ...flags] };
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const raw: string[] = [];
  const parsed: ControllerLogLine[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      logStream.end();
      resolve();
    }),
  );
  const keep = (line: string): void => {
    raw.push(line);
    if (raw.length > 5000) raw.shift();
    logStream.write(`${line}\n`);
    try {
      const record = JSON.parse(line) as unknown;
      if (record && typeof record === 'object') parsed.push(record as ControllerLogLine);
    } catch {
      // Not a JSON line (e.g. a Node warning on stderr): kept raw only.
    }
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', keep);
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep);

  const tail = (count = 60): string => raw.slice(-count).join('\n');
  const port = await waitUntil(
    'the controller to log "http server listening"',
    () => {
      if (exit) throw new Error(`controller exited (${exit.code ?? exit.signal}) during start-up:\n${tail()}`);
      const line = parsed.find((entry) => (entry.message ?? entry.msg) === 'http server listening');
      return typeof line?.port === 'number' ? { done: true, value: line.port } : { done: false, seen: tail(5) };
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  const http = async (path: string): Promise<{ status: number; body: string }> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: await response.text() };
  };

  const process_: ControllerProcess = {
    pid: child.pid ?? -1,
    port,
    logFile,
    logs: () => [...parsed],
    tail,
    waitForLog: (what, predicate, waitOptions) =>
      waitUntil(
        what,
        () => {
          const line = parsed.find(predicate);
          return line ? { done: true, value: line } : { done: false, seen: tail(3) };
        },
        { intervalMs: 100, ...waitOptions },
      ),
    metrics: async () => (await http('/metrics')).body,
    waitForMetric: (line, waitOptions) =>
      waitUntil(
        `metric ${String(line)}`,
        async () => {
          const text = (await http('/metrics')).body;
          const found = text
            .split('\n')
            .find((candidate) => (typeof line === 'string' ? candidate === line : line.test(candidate)));
          return found ? { done: true, value: found } : { done: false, seen: 'no such line' };
        },
        { intervalMs: 250, ...waitOptions },
      ),
    eventsWritten: async () => {
      await process_.waitForMetric('linnet_events_queued 0', { timeoutMs: 30_000 });
    },
    http,
    isRunning: () => exit === undefined,
    exitStatus: () => exit,
    stop: (timeoutMs = 20_000) => terminate(child, exited, 'SIGTERM', timeoutMs),
    kill: () => terminate(child, exited, 'SIGKILL', 10_000),
  };

  if (options.waitForReady !== false) {
    await waitUntil(
      'the controller to answer /readyz with 200',
      async () => {
        if (exit) throw new Error(`controller exited (${exit.code ?? exit.signal}):\n${tail()}`);
        const { status, body } = await http('/readyz');
        return status === 200 ? { done: true, value: undefined } : { done: false, seen: body.trim() };
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 200 },
    ).catch(async (error: unknown) => {
      await process_.kill();
      throw error;
    });
  }
  return process_;
}

async function terminate(
  child: ChildProcess,
  exited: Promise<void>,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
