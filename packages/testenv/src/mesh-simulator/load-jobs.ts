/**
 * Synthetic traffic sent straight to a Service, as a load tester inside the mesh would (Flagger's loadtester hitting
 * `http://<svc>-canary.<ns>/`): it bypasses the VirtualService, so it reaches the canary whatever the route weights —
 * which is how Flagger gets canary metrics before any weight is shifted. Jobs are added through POST /load.
 */

export const MAX_LOAD_RATE = 10_000;
export const MAX_LOAD_DURATION_SECONDS = 24 * 3600;
export const DEFAULT_LOAD_SOURCE_WORKLOAD = 'loadtester';

export interface LoadRequest {
  readonly namespace: string;
  readonly service: string;
  /** Requests per second. */
  readonly rate: number;
  readonly durationSeconds: number;
  /** source_workload / source_workload_namespace labels of the generated requests. */
  readonly sourceWorkload: string;
  readonly sourceNamespace: string;
}

export interface LoadJob extends LoadRequest {
  readonly id: string;
  readonly startedAtMs: number;
  readonly endsAtMs: number;
}

export type LoadRequestParse =
  { readonly ok: true; readonly request: LoadRequest } | { readonly ok: false; readonly error: string };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseLoadRequest(body: unknown): LoadRequestParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, error: 'body must be a JSON object' };
  const fields = body as Record<string, unknown>;
  const { namespace, service, rate, durationSeconds } = fields;
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace))
    return { ok: false, error: 'namespace must be a DNS label' };
  if (typeof service !== 'string' || !DNS_LABEL.test(service))
    return { ok: false, error: 'service must be a DNS label' };
  if (typeof rate !== 'number' || !(rate > 0 && rate <= MAX_LOAD_RATE)) {
    return { ok: false, error: `rate must be a number in (0, ${MAX_LOAD_RATE}] (requests per second)` };
  }
  if (typeof durationSeconds !== 'number' || !(durationSeconds > 0 && durationSeconds <= MAX_LOAD_DURATION_SECONDS)) {
    return { ok: false, error: `durationSeconds must be a number in (0, ${MAX_LOAD_DURATION_SECONDS}]` };
  }
  const sourceWorkload = fields['sourceWorkload'] ?? DEFAULT_LOAD_SOURCE_WORKLOAD;
  const sourceNamespace = fields['sourceNamespace'] ?? namespace;
  if (typeof sourceWorkload !== 'string' || sourceWorkload === '')
    return { ok: false, error: 'sourceWorkload must be a non-empty string' };
  if (typeof sourceNamespace !== 'string' || sourceNamespace === '')
    return { ok: false, error: 'sourceNamespace must be a non-empty string' };
  return { ok: true, request: { namespace, service, rate, durationSeconds, sourceWorkload, sourceNamespace } };
}

/** The set of running load jobs. Time is passed in by the caller (the simulator's injected clock). */
export class LoadJobs {
  private readonly jobs = new Map<string, LoadJob>();
  private nextId = 1;
  /** Bumped whenever the set of active jobs changes, so the traffic plan is rebuilt only then. */
  private revisionCounter = 0;

  get revision(): number {
    return this.revisionCounter;
  }

  add(request: LoadRequest, nowMs: number): LoadJob {
    const job: LoadJob = {
      ...request,
      id: `load-${this.nextId++}`,
      startedAtMs: nowMs,
      endsAtMs: nowMs + request.durationSeconds * 1000,
    };
    this.jobs.set(job.id, job);
    this.revisionCounter++;
    return job;
  }

  remove(id: string): boolean {
    const removed = this.jobs.delete(id);
    if (removed) this.revisionCounter++;
    return removed;
  }

  /** Drops finished jobs and returns the running ones, oldest first. */
  active(nowMs: number): LoadJob[] {
    for (const [id, job] of this.jobs) {
      if (job.endsAtMs <= nowMs) {
        this.jobs.delete(id);
        this.revisionCounter++;
      }
    }
    return [...this.jobs.values()];
  }
}
