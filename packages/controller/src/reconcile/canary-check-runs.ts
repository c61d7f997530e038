// The checks of every Canary, run outside the reconcile (docs/controller.md "One reconcile"). A reconcile asks for
// the results of its check round: it gets them when every batch the core planned has finished, or learns that a
// batch is running (started now, fire-and-forget, if it was not). When a batch finishes, its Canary is enqueued. So a
// reconcile never awaits a webhook or a metric query, and a slow check delays only its own Canary.
import { runBatch, type CheckBatch, type CheckResult } from '@linnet/core';
import type { CanaryCheck } from './check-runner.ts';

export type CheckProgress =
  /** Every planned batch has finished: decide with these results. `checksMs` is the time the batches ran. */
  | { kind: 'ready'; results: readonly CheckResult[]; checksMs: number }
  /** A batch is running; its Canary is enqueued when it finishes. */
  | { kind: 'running'; batch: CheckBatch };

export interface CanaryCheckRunsOptions {
  /**
   * Called with the Canary's key when one of its batches has finished (not when it was cancelled), and with the
   * time its round began (by `nowMs`): the step fell due then, so the queue can put it ahead of later work.
   */
  enqueue(key: string, dueAtMs: number): void;
  /** Called when a batch fails in a way no check result describes (a bug); the reconcile reports it. */
  onBatchError?(key: string, error: unknown): void;
  /** The work queue's clock. */
  nowMs?: () => number;
}

interface RunningBatch {
  readonly id: string;
  readonly batch: CheckBatch;
  readonly controller: AbortController;
}

/** One Canary's current check round. */
interface CheckRound {
  readonly scheduleKey: string;
  /** When the round's first batch was started (the step it checks fell due then, or a little earlier). */
  readonly startedMs: number;
  readonly results: CheckResult[];
  /** Batches already run in this round, by identity: plan() must not ask for one again. */
  readonly finished: Set<string>;
  checksMs: number;
  running?: RunningBatch;
  failure?: unknown;
}

export class CanaryCheckRuns {
  private readonly byCanary = new Map<string, CheckRound>();
  private readonly options: CanaryCheckRunsOptions;
  private readonly nowMs: () => number;

  constructor(options: CanaryCheckRunsOptions) {
    this.options = options;
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  /**
   * The results of `key`'s round `scheduleKey` so far, given to `plan` (the core's plan()) until it asks for no
   * further batch. A round with another schedule key is cancelled and discarded first. A batch plan() asks for is
   * started with `runCheck` unless it is already running.
   */
  progress(
    key: string,
    scheduleKey: string,
    plan: (results: readonly CheckResult[]) => CheckBatch | undefined,
    runCheck: CanaryCheck,
  ): CheckProgress {
    const round = this.currentRound(key, scheduleKey);
    if (round?.failure !== undefined) {
      this.byCanary.delete(key);
      throw round.failure;
    }
    const batch = plan(round?.results ?? []);
    if (!batch) return { kind: 'ready', results: [...(round?.results ?? [])], checksMs: round?.checksMs ?? 0 };
    return this.runOrJoin(key, round ?? this.newRound(key, scheduleKey), batch, runCheck);
  }

  /** The decision that used the round's results has been written: the next decision starts a new round. */
  consume(key: string, scheduleKey: string): void {
    const round = this.byCanary.get(key);
    if (round?.scheduleKey === scheduleKey && !round.running) this.byCanary.delete(key);
  }

  /** The Canary was deleted (or this replica stopped leading): cancel its checks and drop its state. */
  forget(key: string, reason = 'the Canary was deleted'): void {
    const round = this.byCanary.get(key);
    if (!round) return;
    this.byCanary.delete(key);
    round.running?.controller.abort(new CheckCancelledError(reason));
  }

  /** Cancels every running check and drops all state. */
  forgetAll(reason: string): void {
    for (const key of [...this.byCanary.keys()]) this.forget(key, reason);
  }

  /** Batches running now (linnet_checks_in_flight). */
  inFlight(): number {
    let count = 0;
    for (const round of this.byCanary.values()) if (round.running) count++;
    return count;
  }

  /** Canaries with a check round in memory (linnet_check_rounds). */
  canaryCount(): number {
    return this.byCanary.size;
  }

  private runOrJoin(key: string, round: CheckRound, batch: CheckBatch, runCheck: CanaryCheck): CheckProgress {
    const id = batchIdentity(batch);
    if (round.running?.id === id) return { kind: 'running', batch: round.running.batch };
    if (round.finished.has(id)) {
      this.byCanary.delete(key);
      throw new Error(`the ${batch.purpose} batch was planned again after it had run`);
    }
    round.running?.controller.abort(new CheckCancelledError('the core planned another batch'));
    this.start(key, round, { id, batch, controller: new AbortController() }, runCheck);
    return { kind: 'running', batch };
  }

  /** The Canary's round if it is `scheduleKey`'s; a round of another schedule is cancelled and dropped. */
  private currentRound(key: string, scheduleKey: string): CheckRound | undefined {
    const current = this.byCanary.get(key);
    if (!current || current.scheduleKey === scheduleKey) return current;
    this.forget(key, 'the Canary moved on to another check round');
    return undefined;
  }

  private newRound(key: string, scheduleKey: string): CheckRound {
    const round: CheckRound = { scheduleKey, startedMs: this.nowMs(), results: [], finished: new Set(), checksMs: 0 };
    this.byCanary.set(key, round);
    return round;
  }

  private start(key: string, round: CheckRound, running: RunningBatch, runCheck: CanaryCheck): void {
    round.running = running;
    const { signal } = running.controller;
    const startedMs = this.nowMs();
    const results: CheckResult[] = [];
    const isCurrent = (): boolean => this.byCanary.get(key) === round && round.running === running;
    void runBatch(running.batch, (check) => untilAborted(runCheck(check, signal), signal), results)
      .then(
        () => {
          if (!isCurrent() || signal.aborted) return;
          round.results.push(...results);
          round.finished.add(running.id);
        },
        (error: unknown) => {
          if (!isCurrent() || signal.aborted) return;
          round.failure = error;
          this.options.onBatchError?.(key, error);
        },
      )
      .finally(() => {
        if (!isCurrent() || signal.aborted) return;
        round.checksMs += this.nowMs() - startedMs;
        round.running = undefined;
        this.options.enqueue(key, round.startedMs);
      });
  }
}

/** Why a running check was cancelled; never reaches a decision (the round's results are discarded). */
export class CheckCancelledError extends Error {
  readonly reason = 'CheckCancelled';
  constructor(message: string) {
    super(message);
    this.name = 'CheckCancelledError';
  }
}

/** What identifies a batch within a round: its purpose and the checks it runs. */
function batchIdentity(batch: CheckBatch): string {
  return `${batch.purpose}:${batch.checks.map((check) => check.id).join(',')}`;
}

/**
 * The check's result, or a rejection as soon as `signal` aborts: a client that does not honour the signal cannot
 * keep the round (and its Canary) waiting.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
