import type { Logger } from 'winston';
import type { LoadResult, LoadRunOptions } from '../load-runner.ts';
import type { LoadSpec } from '../load-spec.ts';
import { meshServiceTarget, type MeshServiceTarget } from './service-target.ts';

/**
 * Load runs for a simulated mesh (`--mesh-simulator-url`). The local test cluster has no cluster DNS, no pods that
 * answer and no Envoy: its mesh simulator (docs/mesh-simulator.md) stands in for the data plane and produces the
 * `istio_*` series Prometheus scrapes. A load whose URL names a cluster Service (service-target.ts) is therefore not
 * sent over HTTP but handed to the simulator as a load job — `POST <simulator>/load {namespace, service, rate,
 * durationSeconds}` — for the run's duration, so `hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/` adds
 * 20 req/s of canary traffic exactly as Flagger's load tester does inside a real mesh. Any other URL is run over
 * HTTP by the fallback runner as usual.
 */

export type LoadRunner = (spec: LoadSpec, options?: LoadRunOptions) => Promise<LoadResult>;

/** The body of the simulator's POST /load (docs/mesh-simulator.md, "Load jobs"). */
export interface MeshSimulatorLoadRequest {
  readonly namespace: string;
  readonly service: string;
  /** Requests per second, over all of hey's workers (-q × -c). */
  readonly rate: number;
  readonly durationSeconds: number;
}

export interface MeshSimulatorLoadPlan {
  readonly request: MeshSimulatorLoadRequest;
  /** "timed-out" when the task timeout shortened the run, as the HTTP runner reports it. */
  readonly endReason: 'completed' | 'timed-out';
}

/**
 * What a load on a Service becomes in the simulator. Pure. The rate is rounded to whole requests per second as the
 * HTTP runner does; a run bounded by a request count (hey -n without -z) lasts count ÷ rate seconds. A load without
 * a rate (hey without -q: "as fast as possible") has no meaning without real responses, so it is refused.
 */
export function planMeshSimulatorLoad(
  spec: LoadSpec,
  target: MeshServiceTarget,
  maxDurationMs = Number.POSITIVE_INFINITY,
): { ok: true; plan: MeshSimulatorLoadPlan } | { ok: false; error: string } {
  if (spec.ratePerSecond === undefined) {
    return {
      ok: false,
      error:
        `a load sent to the mesh simulator needs a rate, and ${spec.url} has none ` +
        '(give hey -q, or rate in a load task)',
    };
  }
  const rate = Math.max(1, Math.round(spec.ratePerSecond));
  const wantedMs = spec.durationMs ?? ((spec.requestCount ?? 0) / rate) * 1000;
  if (!(wantedMs > 0)) return { ok: false, error: 'a load sent to the mesh simulator needs a duration or a count' };
  const durationMs = Math.min(wantedMs, maxDurationMs);
  return {
    ok: true,
    plan: {
      request: { namespace: target.namespace, service: target.service, rate, durationSeconds: durationMs / 1000 },
      endReason: durationMs < wantedMs ? 'timed-out' : 'completed',
    },
  };
}

export interface MeshSimulatorLoadRunnerOptions {
  /** Base URL of the mesh simulator, e.g. http://127.0.0.1:34583 (testenv's MESH_SIMULATOR_URL). */
  readonly simulatorUrl: string;
  /** Runs loads whose URL is not a cluster Service (the in-process HTTP runner). */
  readonly fallback: LoadRunner;
  readonly logger: Logger;
  /** Bound of each request to the simulator; default 10 s. */
  readonly requestTimeoutMs?: number;
}

const NO_LATENCY = { count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 } as const;
const NO_RESPONSES = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 } as const;

export function createMeshSimulatorLoadRunner(options: MeshSimulatorLoadRunnerOptions): LoadRunner {
  const base = options.simulatorUrl.replace(/\/+$/, '');
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const logger = options.logger.child({ meshSimulator: base });

  return async (spec, runOptions = {}) => {
    const target = meshServiceTarget(spec.url);
    if (target === undefined) return options.fallback(spec, runOptions);
    const planned = planMeshSimulatorLoad(spec, target, runOptions.maxDurationMs);
    if (!planned.ok) throw new Error(planned.error);
    const { request, endReason } = planned.plan;
    const { signal } = runOptions;
    if (signal?.aborted) return simulatedResult(request, 0, 'cancelled');

    const response = await fetch(`${base}/load`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const answer = await response.text();
    if (response.status !== 201) {
      throw new Error(`the mesh simulator refused the load job (HTTP ${response.status}): ${answer.trim()}`);
    }
    const jobId = jobIdOf(answer);
    logger.info(`load on ${target.service}.${target.namespace} sent to the mesh simulator as job ${jobId}`, {
      target: spec.url,
      job: { id: jobId, ...request },
    });

    const startedAt = performance.now();
    const cancelled = await runUntilEndOrAbort(request.durationSeconds * 1000, signal);
    const elapsedMs = Math.min(performance.now() - startedAt, request.durationSeconds * 1000);
    if (cancelled) {
      // The simulator would otherwise go on for the rest of the window: stop the job with the task.
      await fetch(`${base}/load/${encodeURIComponent(jobId)}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(requestTimeoutMs),
      }).then(
        (deleted) => logger.info(`stopped mesh simulator load job ${jobId}`, { status: deleted.status }),
        (error: unknown) => logger.warn(`could not stop mesh simulator load job ${jobId}: ${(error as Error).message}`),
      );
    }
    return simulatedResult(request, elapsedMs, cancelled ? 'cancelled' : endReason);
  };
}

/** Resolves true if `signal` aborts before `durationMs` passes, false when the run's window is over. */
function runUntilEndOrAbort(durationMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, durationMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function jobIdOf(answer: string): string {
  try {
    const job = JSON.parse(answer) as { id?: unknown };
    if (typeof job.id === 'string' && job.id !== '') return job.id;
  } catch {
    // fall through
  }
  throw new Error(`the mesh simulator answered 201 without a job id: ${answer.slice(0, 200)}`);
}

/**
 * The simulator generates the requests itself and records their status codes and latencies as istio_* series; the
 * test loader sees none of them. `responses` is the number of requests the job sent (rate × time, exact within one);
 * the status classes and latencies stay empty.
 */
function simulatedResult(
  request: MeshSimulatorLoadRequest,
  elapsedMs: number,
  endReason: LoadResult['endReason'],
): LoadResult {
  return {
    requestedRatePerSecond: request.rate,
    achievedRatePerSecond: elapsedMs > 0 ? request.rate : 0,
    responses: Math.round((request.rate * elapsedMs) / 1000),
    responsesByStatusClass: { ...NO_RESPONSES },
    errors: 0,
    timeouts: 0,
    latency: { ...NO_LATENCY },
    durationMs: elapsedMs,
    endReason,
  };
}
