/**
 * The tasks that are running now, keyed as Flagger keys them: the canary ("name.namespace") plus the command. A task
 * is not started again while one with the same key runs — Flagger's load tester skips it ("command skipped ... is
 * already running"); blocking callers join the running task and get its result instead.
 */
export interface RunningTask {
  readonly key: string;
  readonly taskType: string;
  readonly canary: string;
  readonly description: string;
  readonly startedAt: Date;
}

export interface TaskStart<T> {
  /** false when a task with the same key was already running and this call joined it. */
  readonly started: boolean;
  readonly result: Promise<T>;
  readonly task: RunningTask;
}

/** The registry key of a task: canary, task type and command (Flagger keys by canary and command). */
export function taskKey(canary: string, taskType: string, command: string): string {
  return `${canary}\u0000${taskType}\u0000${command}`;
}

export class RunningTaskRegistry {
  private readonly running = new Map<string, { task: RunningTask; result: Promise<unknown> }>();

  /**
   * Starts `run` unless a task with the same key is running. The entry is removed when the task settles, whichever way.
   * `run` must return a promise; a synchronous throw is turned into a rejected result.
   */
  startUnlessRunning<T>(task: Omit<RunningTask, 'startedAt'>, run: () => Promise<T>): TaskStart<T> {
    const existing = this.running.get(task.key);
    if (existing) return { started: false, result: existing.result as Promise<T>, task: existing.task };
    const entry: RunningTask = { ...task, startedAt: new Date() };
    let result: Promise<T>;
    try {
      result = run();
    } catch (error) {
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const tracked = result.finally(() => {
      if (this.running.get(task.key)?.result === tracked) this.running.delete(task.key);
    });
    // Callers observe `tracked`; keep an unobserved rejection from crashing the process.
    tracked.catch(() => undefined);
    this.running.set(task.key, { task: entry, result: tracked });
    return { started: true, result: tracked, task: entry };
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  list(): readonly RunningTask[] {
    return [...this.running.values()].map(({ task }) => task);
  }

  /** Resolves when every task running now has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map(({ result }) => result));
  }
}
