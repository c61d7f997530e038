import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import { LOAD_LIMITS, type LoadSpec } from './load-spec.ts';

/**
 * Runs a LoadSpec in-process with autocannon and measures it itself: responses by status class, transport errors and
 * timeouts, latency percentiles, achieved rate.
 *
 * Pacing: autocannon enforces a rate as a budget per connection per second, spent as fast as the connection allows
 * at the start of each second. If every connection started its second at the same moment, all of them would burst
 * together, the target would see the whole second's load at once, latency would rise and the budget would not be
 * spent. So a rate-limited run is split into up to 10 groups of connections (autocannon instances), each with its
 * share of the rate, started at evenly spaced offsets within the first second: the bursts interleave.
 *
 * Each group stops at its own deadline (start + duration) by closing its connections (at most one request per
 * connection goes out after it), so every group sends the requested number of per-second budgets.
 */

export interface LoadProgress {
  /** A response arrived (any status). */
  onResponse(statusCode: number, latencyMs: number): void;
  /** A request failed without a response. */
  onError(kind: 'connection' | 'timeout'): void;
}

export interface LoadRunOptions {
  /** Aborting stops the run early (endReason "cancelled"). */
  readonly signal?: AbortSignal;
  /** Hard limit for each group's run (the task timeout); endReason "timed-out" when it cuts the run short. */
  readonly maxDurationMs?: number;
  readonly progress?: LoadProgress;
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

export interface LoadResult {
  readonly requestedRatePerSecond: number | undefined;
  /** Sum over connection groups of responses ÷ that group's run time. */
  readonly achievedRatePerSecond: number;
  /** Completed responses, whatever their status. */
  readonly responses: number;
  readonly responsesByStatusClass: Readonly<Record<StatusClass, number>>;
  /** Requests that got no response: connection errors plus timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  readonly latency: LatencySummary;
  /** How long the load ran (the longest group; groups start up to one second apart). */
  readonly durationMs: number;
  readonly endReason: 'completed' | 'cancelled' | 'timed-out';
}

/** The parts of autocannon's client that its type definitions leave out. */
interface AutocannonClient {
  /** autocannon's (private) connect, which it calls again the moment a connection fails. */
  _connect(): void;
  destroyed?: boolean;
  on(event: 'request' | 'connError' | 'timeout' | 'done', listener: () => void): unknown;
  on(event: 'response', listener: (statusCode: number, bytes: number, responseTimeMs: number) => void): unknown;
  on(event: 'headers', listener: (response: { statusCode: number }) => void): unknown;
  destroy(): void;
}

const STATUS_CLASSES: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];
const MAX_PACING_GROUPS = 10;
/** Reconnect pause after a failed connection when the rate is unlimited. */
const MIN_RECONNECT_DELAY_MS = 10;

interface GroupPlan {
  readonly offsetMs: number;
  readonly connections: number;
  readonly rate: number | undefined;
  readonly requestCount: number | undefined;
}

interface GroupOutcome {
  readonly responses: number;
  readonly durationMs: number;
  readonly endReason: LoadResult['endReason'];
}

/** Splits a whole number into `parts` whole shares that differ by at most one, larger shares first. */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

/** How a run is divided into staggered connection groups (one group when the rate is unlimited). */
export function planPacingGroups(spec: LoadSpec): readonly GroupPlan[] {
  const rate = spec.ratePerSecond === undefined ? undefined : Math.max(1, Math.round(spec.ratePerSecond));
  const groups = rate === undefined ? 1 : Math.min(MAX_PACING_GROUPS, spec.concurrency, rate);
  const connections = splitEvenly(spec.concurrency, groups);
  const rates = rate === undefined ? undefined : splitEvenly(rate, groups);
  const counts = spec.requestCount === undefined ? undefined : splitEvenly(spec.requestCount, groups);
  return connections.map((groupConnections, index) => ({
    offsetMs: (index * 1000) / groups,
    connections: groupConnections,
    rate: rates?.[index],
    requestCount: counts?.[index],
  }));
}

export async function runLoad(spec: LoadSpec, options: LoadRunOptions = {}): Promise<LoadResult> {
  const body = spec.bodyFile === undefined ? spec.body : await readBodyFile(spec.bodyFile);
  const histogram = new LatencyHistogram();
  const byClass: Record<StatusClass, number> = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  let errors = 0;
  let timeouts = 0;
  const recordResponse = (statusCode: number, latencyMs: number): void => {
    const statusClass = STATUS_CLASSES[Math.floor(statusCode / 100) - 1];
    if (statusClass) byClass[statusClass]++;
    histogram.record(latencyMs);
    options.progress?.onResponse(statusCode, latencyMs);
  };
  const recordError = (kind: 'connection' | 'timeout'): void => {
    errors++;
    if (kind === 'timeout') timeouts++;
    options.progress?.onError(kind);
  };

  const maxDurationMs = options.maxDurationMs ?? Number.POSITIVE_INFINITY;
  const deadlineMs = Math.min(spec.durationMs ?? Number.POSITIVE_INFINITY, maxDurationMs);
  const cutShortBy: LoadResult['endReason'] =
    spec.durationMs !== undefined && spec.durationMs <= maxDurationMs ? 'completed' : 'timed-out';
  const groups = planPacingGroups(spec).map((plan) =>
    startGroup({ spec, plan, body, deadlineMs, cutShortBy, recordResponse, recordError, signal: options.signal }),
  );
  const outcomes = await Promise.allSettled(groups);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
  const finished = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));

  const reasons = new Set(finished.map((outcome) => outcome.endReason));
  return {
    requestedRatePerSecond: spec.ratePerSecond,
    achievedRatePerSecond: finished.reduce(
      (sum, outcome) => sum + (outcome.durationMs > 0 ? outcome.responses / (outcome.durationMs / 1000) : 0),
      0,
    ),
    responses: finished.reduce((sum, outcome) => sum + outcome.responses, 0),
    responsesByStatusClass: { ...byClass },
    errors,
    timeouts,
    latency: histogram.summary(),
    durationMs: Math.max(0, ...finished.map((outcome) => outcome.durationMs)),
    endReason: reasons.has('cancelled') ? 'cancelled' : reasons.has('timed-out') ? 'timed-out' : 'completed',
  };
}

interface GroupContext {
  readonly spec: LoadSpec;
  readonly plan: GroupPlan;
  readonly body: string | Buffer | undefined;
  readonly deadlineMs: number;
  readonly cutShortBy: LoadResult['endReason'];
  readonly recordResponse: (statusCode: number, latencyMs: number) => void;
  readonly recordError: (kind: 'connection' | 'timeout') => void;
  readonly signal: AbortSignal | undefined;
}

/** One autocannon instance: waits for its offset, runs until its deadline, its request count or cancellation. */
function startGroup(context: GroupContext): Promise<GroupOutcome> {
  const { spec, plan, signal } = context;
  return new Promise<GroupOutcome>((resolve, reject) => {
    const clients: AutocannonClient[] = [];
    let runningClients = 0;
    let responses = 0;
    let startedAt = 0;
    let finishedAt: number | undefined;
    let endReason: LoadResult['endReason'] = 'completed';
    let stopInstance: (() => void) | undefined;
    let deadline: NodeJS.Timeout | undefined;

    const finish = (reason: LoadResult['endReason']): void => {
      if (finishedAt !== undefined) return;
      finishedAt = performance.now();
      endReason = reason;
      clearTimeout(deadline);
      clearTimeout(delayedStart);
      signal?.removeEventListener('abort', onAbort);
      for (const client of clients) client.destroy();
      stopInstance?.();
      if (startedAt === 0) resolve({ responses: 0, durationMs: 0, endReason }); // cancelled before it started
    };
    const onAbort = (): void => finish('cancelled');

    // autocannon reconnects the moment a connection fails, outside its rate limit: against a refused port that is
    // thousands of attempts a second and hundreds of MB (an OOM kill at a pod's 256Mi). hey's workers spend a request
    // slot on each failure, so a reconnect waits for the connection's share of the rate.
    const reconnectDelayMs =
      plan.rate === undefined
        ? MIN_RECONNECT_DELAY_MS
        : Math.max(MIN_RECONNECT_DELAY_MS, (1000 * plan.connections) / plan.rate);
    const paceReconnects = (client: AutocannonClient): void => {
      const connect = client._connect.bind(client);
      let failedAt: number | undefined;
      let pending: NodeJS.Timeout | undefined;
      client._connect = () => {
        const wait = failedAt === undefined ? 0 : failedAt + reconnectDelayMs - performance.now();
        failedAt = undefined;
        if (wait <= 0) return connect();
        if (pending) return; // one reconnect at a time
        pending = setTimeout(() => {
          pending = undefined;
          if (finishedAt === undefined && !client.destroyed) connect();
        }, wait);
      };
      client.on('connError', () => {
        failedAt = performance.now();
      });
    };

    const setupClient = (client: AutocannonClient): void => {
      clients.push(client);
      runningClients++;
      paceReconnects(client);
      // A connection's next per-second budget may open a moment before the deadline timer runs; stop at the first
      // request sent after the deadline instead of letting a whole extra second's burst out.
      client.on('request', () => {
        if (finishedAt === undefined && performance.now() - startedAt >= context.deadlineMs) {
          setImmediate(() => finish(context.cutShortBy));
        }
      });
      client.on('done', () => {
        runningClients--;
        if (runningClients === 0) finish('completed');
      });
      client.on('connError', () => context.recordError('connection'));
      client.on('timeout', () => context.recordError('timeout'));
      const countResponse = (statusCode: number, latencyMs: number): void => {
        if (finishedAt !== undefined) return;
        responses++;
        context.recordResponse(statusCode, latencyMs);
      };
      if (spec.keepAlive) {
        client.on('response', (statusCode, _bytes, responseTimeMs) => countResponse(statusCode, responseTimeMs));
      } else {
        // With a reconnect after every response autocannon emits no 'response' event, so time request → headers.
        let sentAt = 0;
        client.on('request', () => {
          sentAt = performance.now();
        });
        client.on('headers', (response) => countResponse(response.statusCode, performance.now() - sentAt));
      }
    };

    const settle = (error: unknown): void => {
      finish(endReason);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ responses, durationMs: (finishedAt ?? performance.now()) - startedAt, endReason });
    };

    const start = (): void => {
      try {
        startedAt = performance.now();
        const instance = autocannon(
          {
            url: spec.url,
            method: spec.method as autocannon.Request['method'],
            headers: { ...spec.headers },
            body: context.body,
            connections: plan.connections,
            ...(plan.rate === undefined ? {} : { overallRate: plan.rate }),
            ...(plan.requestCount === undefined
              ? { duration: Math.ceil(Math.min(context.deadlineMs, 366 * 86_400_000) / 1000) + 60 }
              : { amount: plan.requestCount }),
            timeout: spec.requestTimeoutMs / 1000,
            ...(spec.keepAlive ? {} : { reconnectRate: 1 }),
            sampleInt: 100,
            skipAggregateResult: true,
            setupClient: setupClient as unknown as autocannon.Options['setupClient'],
          },
          (error) => settle(error),
        );
        stopInstance = () => instance.stop();
        if (finishedAt !== undefined) {
          instance.stop(); // failed or finished while starting
          return;
        }
        if (Number.isFinite(context.deadlineMs)) {
          deadline = setTimeout(() => finish(context.cutShortBy), context.deadlineMs);
        }
      } catch (error) {
        settle(error);
      }
    };

    const delayedStart: NodeJS.Timeout | undefined = plan.offsetMs > 0 ? setTimeout(start, plan.offsetMs) : undefined;
    if (signal?.aborted) {
      finish('cancelled');
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (delayedStart === undefined) start();
  });
}

async function readBodyFile(path: string): Promise<Buffer> {
  const content = await readFile(path);
  if (content.length > LOAD_LIMITS.maxBodyFileBytes) {
    throw new Error(`body file ${path} is larger than ${LOAD_LIMITS.maxBodyFileBytes} bytes`);
  }
  return content;
}
