import type { Logger } from 'winston';
import { runLoad, type LoadResult, type StatusClass } from './load-runner.ts';
import { redactCommandLine } from './command-redaction.ts';
import { describePipeline, runPipeline, type ShellRunResult } from './shell-runner.ts';
import type { LoadPlan, ShellPlan } from './task-plan.ts';
import type { RunningTaskRegistry, TaskStart } from './task-registry.ts';
import type { TestLoaderMetrics } from './test-loader-metrics.ts';

/** What the HTTP layer answers for a task request. */
export interface TaskAnswer {
  readonly status: number;
  readonly body: string;
  /** started | already-running | finished (blocking tasks) */
  readonly taskState: 'started' | 'already-running' | 'finished';
}

export interface TaskExecutorDependencies {
  readonly logger: Logger;
  readonly registry: RunningTaskRegistry;
  readonly metrics: TestLoaderMetrics;
  /** Aborted when the test loader stops: load runs end, commands are terminated. */
  readonly stopSignal: AbortSignal;
  /** Runs load tasks; default the in-process HTTP runner (a mesh simulator runner with --mesh-simulator-url). */
  readonly runLoad?: typeof runLoad;
}

const MAX_LOGGED_OUTPUT = 64 * 1024;

/** Runs planned tasks: asynchronous ones in the background (202), blocking ones while the caller waits. */
export class TaskExecutor {
  private readonly dependencies: TaskExecutorDependencies;

  constructor(dependencies: TaskExecutorDependencies) {
    this.dependencies = dependencies;
  }

  async execute(plan: LoadPlan | ShellPlan): Promise<TaskAnswer> {
    const logger = this.taskLogger(plan);
    if (plan.kind === 'load') {
      const start = this.startUnlessRunning(plan, logger, () => this.runLoadTask(plan, logger));
      return { status: 202, body: '', taskState: start.started ? 'started' : 'already-running' };
    }
    const start = this.startUnlessRunning(plan, logger, () => this.runShellTask(plan, logger));
    if (!plan.blocking) return { status: 202, body: '', taskState: start.started ? 'started' : 'already-running' };
    const result = await start.result;
    if (!result.ok) return { status: 500, body: result.failure ?? 'command failed', taskState: 'finished' };
    return { status: 200, body: plan.returnOutput ? result.output : '', taskState: 'finished' };
  }

  /** Flagger's de-duplication: the same task for the same canary is not started while it runs. */
  private startUnlessRunning<T>(plan: LoadPlan | ShellPlan, logger: Logger, run: () => Promise<T>): TaskStart<T> {
    const canary = `${plan.canary.name}.${plan.canary.namespace}`;
    const start = this.dependencies.registry.startUnlessRunning(
      { key: plan.key, taskType: plan.taskType, canary, description: plan.description },
      run,
    );
    if (!start.started) {
      this.dependencies.metrics.tasksSkipped.labels({ type: plan.taskType }).inc();
      logger.info(`command skipped ${plan.description} is already running`, {
        runningSince: start.task.startedAt.toISOString(),
      });
    }
    return start;
  }

  private taskLogger(plan: LoadPlan | ShellPlan): Logger {
    return this.dependencies.logger.child({
      canary: plan.canary.name,
      namespace: plan.canary.namespace,
      taskType: plan.taskType,
    });
  }

  private async runLoadTask(plan: LoadPlan, logger: Logger): Promise<LoadResult | undefined> {
    const { metrics, stopSignal } = this.dependencies;
    const labels = { name: plan.canary.name, namespace: plan.canary.namespace, target: plan.spec.url };
    const responsesByClass = new Map<StatusClass, ReturnType<typeof metrics.loadResponses.labels>>();
    const responseCell = (statusCode: number): ReturnType<typeof metrics.loadResponses.labels> => {
      const statusClass = `${Math.min(5, Math.max(1, Math.floor(statusCode / 100)))}xx` as StatusClass;
      let cell = responsesByClass.get(statusClass);
      if (!cell) {
        cell = metrics.loadResponses.labels({ ...labels, code_class: statusClass });
        responsesByClass.set(statusClass, cell);
      }
      return cell;
    };
    const connectionErrors = metrics.loadErrors.labels({ ...labels, kind: 'connection' });
    const timeoutErrors = metrics.loadErrors.labels({ ...labels, kind: 'timeout' });

    metrics.tasksStarted.labels({ type: plan.taskType }).inc();
    logger.info(`task starting ${plan.description}`, {
      load: {
        ...plan.spec,
        headers: Object.keys(plan.spec.headers), // names only: values may carry credentials
        body: plan.spec.body === undefined ? undefined : `${Buffer.byteLength(plan.spec.body)} bytes`,
      },
      ...(plan.notes.length > 0 ? { notes: plan.notes } : {}),
    });
    try {
      const result = await (this.dependencies.runLoad ?? runLoad)(plan.spec, {
        signal: stopSignal,
        maxDurationMs: plan.timeoutMs,
        progress: {
          onResponse: (statusCode) => responseCell(statusCode).inc(),
          onError: (kind) => (kind === 'timeout' ? timeoutErrors : connectionErrors).inc(),
        },
      });
      const seconds = (milliseconds: number): number => milliseconds / 1000;
      metrics.loadLastLatency.labels({ ...labels, quantile: '0.5' }).set(seconds(result.latency.p50Ms));
      metrics.loadLastLatency.labels({ ...labels, quantile: '0.9' }).set(seconds(result.latency.p90Ms));
      metrics.loadLastLatency.labels({ ...labels, quantile: '0.99' }).set(seconds(result.latency.p99Ms));
      metrics.loadLastRequestedRate.labels(labels).set(result.requestedRatePerSecond ?? 0);
      metrics.loadLastAchievedRate.labels(labels).set(result.achievedRatePerSecond);
      metrics.loadLastDuration.labels(labels).set(seconds(result.durationMs));
      const outcome =
        result.endReason === 'completed' ? 'succeeded' : result.endReason === 'cancelled' ? 'cancelled' : 'failed';
      metrics.tasksFinished.labels({ type: plan.taskType, result: outcome }).inc();
      const summary = {
        requests: result.responses,
        errors: result.errors,
        timeouts: result.timeouts,
        responsesByStatusClass: result.responsesByStatusClass,
        latencyMs: {
          p50: round(result.latency.p50Ms),
          p90: round(result.latency.p90Ms),
          p99: round(result.latency.p99Ms),
          max: round(result.latency.maxMs),
          mean: round(result.latency.meanMs),
        },
        requestedRate: result.requestedRatePerSecond ?? null,
        achievedRate: round(result.achievedRatePerSecond),
        durationSeconds: round(result.durationMs / 1000),
        endReason: result.endReason,
      };
      if (result.endReason === 'timed-out') {
        logger.error(`command failed ${plan.description}: stopped by the task timeout`, { result: summary });
      } else {
        logger.info(`command finished ${plan.description}`, { result: summary });
      }
      return result;
    } catch (error) {
      metrics.tasksFinished.labels({ type: plan.taskType, result: 'failed' }).inc();
      logger.error(`command failed ${plan.description}: ${(error as Error).message}`, { reason: 'LoadRunFailed' });
      return undefined;
    }
  }

  private async runShellTask(plan: ShellPlan, logger: Logger): Promise<ShellRunResult> {
    const { metrics, stopSignal } = this.dependencies;
    metrics.tasksStarted.labels({ type: plan.taskType }).inc();
    logger.info(`task starting ${redactCommandLine(describePipeline(plan.pipeline))}`);
    const result = await runPipeline(plan.pipeline, {
      timeoutMs: plan.timeoutMs,
      signal: stopSignal,
      description: plan.description,
    });
    const outcome = result.ok ? 'succeeded' : stopSignal.aborted ? 'cancelled' : 'failed';
    metrics.tasksFinished.labels({ type: plan.taskType, result: outcome }).inc();
    const details = {
      exitCode: result.exitCode ?? null,
      durationSeconds: round(result.durationMs / 1000),
      ...(plan.logOutput ? { output: truncate(result.output) } : {}),
    };
    if (result.ok) logger.info(`command finished ${plan.description}`, details);
    else
      logger.error(`command failed ${plan.description}`, {
        ...details,
        error: truncate(result.failure ?? ''),
        reason: 'CommandFailed',
      });
    return result;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function truncate(output: string): string {
  return output.length <= MAX_LOGGED_OUTPUT ? output : `${output.slice(0, MAX_LOGGED_OUTPUT)}… (truncated)`;
}
