import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import { LOAD_LIMITS, type LoadSpec } from './load-spec.ts';

/**
 * Runs a LoadSpec in-process with autocannon and measures it itself: responses by status class, transport errors and
 * timeouts, latency percentiles, achieved rate. autocannon paces a rate as a per-second budget for each connection (the
 * budget is spent as fast as the connection allows at the start of each second); the run is stopped at its deadline
 * by closing the connections (at most one request per connection goes out after it), so it lasts the requested
 * duration to within a few milliseconds and sends the requested number of per-second budgets.
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
  /** Hard limit for the whole run (the task timeout); endReason "timed-out" when it cuts the run short. */
  readonly maxDurationMs?: number;
  readonly progress?: LoadProgress;
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

export interface LoadResult {
  readonly requestedRatePerSecond: number | undefined;
  readonly achievedRatePerSecond: number;
  /** Completed responses, whatever their status. */
  readonly responses: number;
  readonly responsesByStatusClass: Readonly<Record<StatusClass, number>>;
  /** Requests that got no response: connection errors plus timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  readonly latency: LatencySummary;
  readonly durationMs: number;
  readonly endReason: 'completed' | 'cancelled' | 'timed-out';
}

/** The parts of autocannon's client that its type definitions leave out. */
interface AutocannonClient {
  on(event: 'request' | 'connError' | 'timeout' | 'done', listener: () => void): unknown;
  on(event: 'response', listener: (statusCode: number, bytes: number, responseTimeMs: number) => void): unknown;
  on(event: 'headers', listener: (response: { statusCode: number }) => void): unknown;
  destroy(): void;
}

const STATUS_CLASSES: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export async function runLoad(spec: LoadSpec, options: LoadRunOptions = {}): Promise<LoadResult> {
  const body = spec.bodyFile === undefined ? spec.body : await readBodyFile(spec.bodyFile);
  const rate = spec.ratePerSecond === undefined ? undefined : Math.max(1, Math.round(spec.ratePerSecond));
  const maxDurationMs = options.maxDurationMs ?? Number.POSITIVE_INFINITY;
  const deadlineMs = Math.min(spec.durationMs ?? Number.POSITIVE_INFINITY, maxDurationMs);
  const cutShortBy: LoadResult['endReason'] =
    spec.durationMs !== undefined && spec.durationMs <= maxDurationMs ? 'completed' : 'timed-out';

  const histogram = new LatencyHistogram();
  const byClass: Record<StatusClass, number> = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  let responses = 0;
  let errors = 0;
  let timeouts = 0;
  const clients: AutocannonClient[] = [];
  let runningClients = 0;

  const recordResponse = (statusCode: number, latencyMs: number): void => {
    responses++;
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

  const setupClient = (client: AutocannonClient): void => {
    clients.push(client);
    runningClients++;
    // A connection's next per-second budget may open a moment before the deadline timer runs; stop at the first
    // request sent after the deadline instead of letting a whole extra second's burst out.
    client.on('request', () => {
      if (finishedAt === undefined && performance.now() - startedAt >= deadlineMs) {
        setImmediate(() => finish(cutShortBy));
      }
    });
    client.on('done', () => {
      runningClients--;
      if (runningClients === 0) finish('completed');
    });
    client.on('connError', () => recordError('connection'));
    client.on('timeout', () => recordError('timeout'));
    if (spec.keepAlive) {
      client.on('response', (statusCode, _bytes, responseTimeMs) => recordResponse(statusCode, responseTimeMs));
    } else {
      // With a reconnect after every response autocannon emits no 'response' event, so time request → headers.
      let sentAt = 0;
      client.on('request', () => {
        sentAt = performance.now();
      });
      client.on('headers', (response) => recordResponse(response.statusCode, performance.now() - sentAt));
    }
  };

  let startedAt = 0;
  let finishedAt: number | undefined;
  let endReason: LoadResult['endReason'] = 'completed';
  let stopInstance: (() => void) | undefined;
  let deadline: NodeJS.Timeout | undefined;

  function finish(reason: LoadResult['endReason']): void {
    if (finishedAt !== undefined) return;
    finishedAt = performance.now();
    endReason = reason;
    if (deadline) clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    for (const client of clients) client.destroy();
    stopInstance?.();
  }
  function onAbort(): void {
    finish('cancelled');
  }

  return new Promise<LoadResult>((resolve, reject) => {
    const settle = (error: unknown): void => {
      finish(endReason);
      if (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const durationMs = (finishedAt ?? performance.now()) - startedAt;
      resolve({
        requestedRatePerSecond: spec.ratePerSecond,
        achievedRatePerSecond: durationMs > 0 ? responses / (durationMs / 1000) : 0,
        responses,
        responsesByStatusClass: { ...byClass },
        errors,
        timeouts,
        latency: histogram.summary(),
        durationMs,
        endReason,
      });
    };
    try {
      startedAt = performance.now();
      const instance = autocannon(
        {
          url: spec.url,
          method: spec.method as autocannon.Request['method'],
          headers: { ...spec.headers },
          body,
          connections: spec.concurrency,
          ...(rate === undefined ? {} : { overallRate: rate }),
          ...(spec.requestCount === undefined
            ? { duration: Math.ceil(Math.min(deadlineMs, 366 * 86_400_000) / 1000) + 60 }
            : { amount: spec.requestCount }),
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
      if (Number.isFinite(deadlineMs)) deadline = setTimeout(() => finish(cutShortBy), deadlineMs);
      if (options.signal?.aborted) finish('cancelled');
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    } catch (error) {
      settle(error);
    }
  });
}

async function readBodyFile(path: string): Promise<Buffer> {
  const content = await readFile(path);
  if (content.length > LOAD_LIMITS.maxBodyFileBytes) {
    throw new Error(`body file ${path} is larger than ${LOAD_LIMITS.maxBodyFileBytes} bytes`);
  }
  return content;
}
