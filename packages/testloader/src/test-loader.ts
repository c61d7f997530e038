import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';
import { TOKEN_ENV_VARIABLE } from './auth.ts';
import { createCommandAllowlist } from './command-allowlist.ts';
import { createMemoryGateStore, openFileGateStore, type GateStore } from './gate-store.ts';
import { createHttpApi } from './http-server.ts';
import { runLoad } from './load-runner.ts';
import { loadShellGrammar } from './plain-pipeline.ts';
import { createMeshSimulatorLoadRunner } from './mesh-simulator-target/mesh-simulator-load.ts';
import { TaskExecutor } from './task-executor.ts';
import { RunningTaskRegistry } from './task-registry.ts';
import { createTestLoaderMetrics, type TestLoaderMetrics } from './test-loader-metrics.ts';
import { TESTLOADER_VERSION } from './version.ts';

export interface TestLoaderConfig {
  /** Interface to listen on; undefined = all. */
  readonly address: string | undefined;
  /** 0 = any free port. */
  readonly port: number;
  readonly token: string | undefined;
  readonly unauthenticatedHealthz: boolean;
  readonly namespacePattern: RegExp | undefined;
  readonly shellTasksEnabled: boolean;
  readonly allowedCommands: readonly string[];
  /** Longest a task may run (Flagger's -timeout, default 1h). */
  readonly taskTimeoutMs: number;
  readonly maxBodyBytes: number;
  /** Persist gates here; undefined = in memory only, as in Flagger. */
  readonly stateFile: string | undefined;
  /** Simulated mesh: loads on cluster Service URLs become load jobs of this mesh simulator (mesh-simulator-target/). */
  readonly meshSimulatorUrl?: string | undefined;
}

export const DEFAULT_TESTLOADER_CONFIG: TestLoaderConfig = {
  address: undefined,
  port: 8080,
  token: undefined,
  unauthenticatedHealthz: false,
  namespacePattern: undefined,
  shellTasksEnabled: false,
  allowedCommands: [],
  taskTimeoutMs: 3_600_000,
  maxBodyBytes: 1024 * 1024,
  stateFile: undefined,
};

export interface RunningTestLoader {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  readonly metrics: TestLoaderMetrics;
  readonly gates: GateStore;
  readonly tasks: RunningTaskRegistry;
  /** Stops listening, cancels running tasks and waits for them (at most `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

export async function startTestLoader(config: TestLoaderConfig, logger: Logger): Promise<RunningTestLoader> {
  const gates = config.stateFile === undefined ? createMemoryGateStore() : await openFileGateStore(config.stateFile);
  const tasks = new RunningTaskRegistry();
  const metrics = createTestLoaderMetrics({ version: TESTLOADER_VERSION, tasks, gates });
  const stop = new AbortController();
  if (config.shellTasksEnabled && config.token === undefined) {
    throw new Error(
      `shell tasks need a bearer token: give --token-file, --token or ${TOKEN_ENV_VARIABLE} together with --enable-shell-tasks`,
    );
  }
  const allowlist = createCommandAllowlist(config.allowedCommands);
  if (config.shellTasksEnabled && allowlist.isEmpty) {
    logger.warn('shell tasks are enabled but no --allow-command is given, so every shell task will be refused');
  }
  const loadRunner =
    config.meshSimulatorUrl === undefined
      ? runLoad
      : createMeshSimulatorLoadRunner({ simulatorUrl: config.meshSimulatorUrl, fallback: runLoad, logger });
  const executor = new TaskExecutor({ logger, registry: tasks, metrics, stopSignal: stop.signal, runLoad: loadRunner });
  const api = createHttpApi({
    logger,
    metrics,
    gates,
    executor,
    policy: {
      shellTasksEnabled: config.shellTasksEnabled,
      allowlist,
      grammar: await loadShellGrammar(),
      maxTaskTimeoutMs: config.taskTimeoutMs,
    },
    token: config.token,
    unauthenticatedHealthz: config.unauthenticatedHealthz,
    namespacePattern: config.namespacePattern,
    maxBodyBytes: config.maxBodyBytes,
  });

  const server: Server = createServer({ keepAliveTimeout: 15_000 }, api);
  server.on('clientError', (error, socket) => {
    logger.debug(`malformed HTTP request: ${error.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info(`Starting Linnet test loader v${TESTLOADER_VERSION} API on port ${address.port}`, {
    port: address.port,
    address: address.address,
    shellTasks: config.shellTasksEnabled,
    allowedCommands: config.allowedCommands,
    namespaceRegexp: config.namespacePattern?.source ?? null,
    tokenRequired: config.token !== undefined,
    stateFile: config.stateFile ?? null,
    meshSimulatorUrl: config.meshSimulatorUrl ?? null,
  });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    metrics,
    gates,
    tasks,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        stop.abort();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
        await Promise.race([tasks.settled(), grace]);
        server.closeAllConnections();
        await serverClosed;
        logger.info('HTTP server stopped');
      })();
      return closing;
    },
  };
}
