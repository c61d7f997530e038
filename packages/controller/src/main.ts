// The controller process: `node packages/controller/src/main.ts [flags]` (docs/controller.md).
import { hostname } from 'node:os';
import { argv, env, exit, pid, stderr, stdout } from 'node:process';
import { FlagError, parseControllerFlags, type ControllerOptions } from './flags/index.ts';
import { startHealthServer, type RunningHealthServer } from './http/index.ts';
import { createKubeAccess } from './kube/index.ts';
import {
  ControllerMetrics,
  createLogger,
  describeError,
  metricsExposition,
  RuntimeMetrics,
  type Logger,
} from './observability/index.ts';
import { ControllerRuntime } from './reconcile/index.ts';
import { checkRequiredResources, logMetricsServerStatus } from './reconcile/startup-checks.ts';

const LINNET_VERSION = '0.1.0';

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const options = parseOptions();
  const logger = createLogger({ level: options.logLevel, defaultMeta: { controller: 'linnet' } });
  try {
    await run(options, logger);
  } catch (error) {
    logger.error('controller failed to start', describeError(error));
    await flush(logger);
    exit(1);
  }
}

function parseOptions(): ControllerOptions {
  try {
    const parsed = parseControllerFlags(argv.slice(2), env);
    if (parsed.kind === 'help') {
      stdout.write(parsed.usage);
      exit(0);
    }
    if (parsed.kind === 'version') {
      stdout.write(`${LINNET_VERSION}\n`);
      exit(0);
    }
    return parsed.options;
  } catch (error) {
    if (error instanceof FlagError) {
      stderr.write(`linnet: ${error.message}\n`);
      exit(2);
    }
    throw error;
  }
}

async function run(options: ControllerOptions, logger: Logger): Promise<void> {
  const identity = env.POD_NAME || `${hostname()}_${pid}`;
  logger.info('starting', {
    version: LINNET_VERSION,
    identity,
    namespace: options.namespaces.length > 0 ? options.namespaces.join(',') : '(all)',
    leaderElection: options.enableLeaderElection,
    minAnalysisIntervalMs: options.minAnalysisIntervalMs,
  });
  if (options.acceptedWithoutEffect.length > 0) {
    logger.info('Flagger flags accepted without effect', { flags: options.acceptedWithoutEffect });
  }
  const access = createKubeAccess(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {});
  await checkRequiredResources(access, options.namespaces[0] ?? '');
  void logMetricsServerStatus(options.metricsServer, logger);

  const metrics = new ControllerMetrics({ version: LINNET_VERSION, meshProvider: options.meshProvider });
  const runtime = new ControllerRuntime({ options, access, logger, metrics, identity });
  const server = await startHealthServer({
    port: options.port,
    metrics: metricsExposition(metrics, new RuntimeMetrics()),
    readinessChecks: runtime.readinessChecks(),
    logger,
  });
  logger.info('http server listening', { port: server.port });
  handleSignals(runtime, server, logger);
  await runtime.start();
}

function handleSignals(runtime: ControllerRuntime, server: RunningHealthServer, logger: Logger): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const forced = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting', { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    forced.unref();
    runtime
      .stop()
      .then(() => server.close())
      .then(
        async () => {
          logger.info('stopped');
          await flush(logger);
          exit(0);
        },
        async (error: unknown) => {
          logger.error('shutdown failed', describeError(error));
          await flush(logger);
          exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** Lets the logger write out what it has buffered before the process exits (at most 1 s). */
function flush(logger: Logger): Promise<void> {
  return Promise.race([logger.flush(), new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
}

await main();
