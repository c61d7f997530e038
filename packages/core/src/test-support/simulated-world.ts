// A fake shell for tests: an in-memory cluster (target, primary, router, finalizer) that applies the core's
// actions, answers its checks from a script, and advances an injected clock to the next requeue or the next
// change a watch would report. Table tests then read like Flagger's tick tables.
import {
  withCanaryDefaults,
  type CanaryPhase,
  type CanarySpec,
  type CanaryStatus,
  type DefaultedCanarySpec,
} from '@linnet/api';
import type { CheckBatch, CheckResult, PlannedCheck } from '../checks.ts';
import type { Action, CanaryAlertMessage, CanaryEvent, Decision } from '../decision.ts';
import { podTemplateHash } from '../hashing.ts';
import { unmetPrecondition } from '../preconditions.ts';
import type { Observation, Readiness, TrafficRoutes } from '../observation.ts';
import { decide, plan } from '../phase-machine.ts';
import { DEFAULT_TIMINGS, type CoreTimings } from '../timings.ts';

/** Answers one planned check; `call` counts the checks with the same id so far (1-based). */
export type CheckScript = (check: PlannedCheck, call: number, world: SimulatedWorld) => CheckResult;

export interface WorldOptions {
  readonly spec: CanarySpec;
  readonly provider?: string;
  readonly start?: string;
  /** Time pods of a new or scaled-up target take to become ready. */
  readonly canaryStartupMs?: number;
  /** Time the primary takes to roll out a promoted (or newly created) template. */
  readonly primaryRolloutMs?: number;
  /** The canary never becomes ready and fails once the progress deadline passes. */
  readonly canaryBroken?: boolean;
  /** The primary fails to roll out (progress deadline) after a promotion. */
  readonly primaryBrokenAfterPromotion?: boolean;
  readonly checks?: CheckScript;
  readonly timings?: Partial<CoreTimings>;
}

export interface TimelineRow {
  /** Seconds since the world started. */
  readonly at: number;
  readonly phase: CanaryPhase;
  readonly canaryWeight: number;
  readonly failedChecks: number;
  readonly iterations: number;
}

export interface ReconcileRecord {
  readonly now: number;
  readonly observation: Observation;
  readonly batches: readonly CheckBatch[];
  readonly results: readonly CheckResult[];
  readonly decision: Decision;
  /** Why the decision was not carried out: a precondition of its actions no longer held (nothing was written). */
  readonly preconditionUnmet: string | undefined;
  /** The status write of this reconcile failed (the shell retries at once). */
  readonly writeLost: boolean;
  /** An action changed a watched object, so a watch event brings the shell back at once. */
  readonly worldChanged: boolean;
}

const passingValue = (check: PlannedCheck): number =>
  check.kind === 'metric' && /duration/.test(check.metric.name) ? 100 : 99.9;

/** Every webhook answers ok, success rate 99.9, durations 100 ms, custom metrics 99.9. */
export const allChecksPass: CheckScript = (check) =>
  check.kind === 'webhook'
    ? { kind: 'webhook', id: check.id, ok: true }
    : { kind: 'metric', id: check.id, provider: 'istio', outcome: { type: 'values', values: [passingValue(check)] } };

export class SimulatedWorld {
  now: number;
  status: CanaryStatus = {};
  spec: DefaultedCanarySpec;
  rawSpec: CanarySpec;
  readonly provider: string;
  readonly timings: CoreTimings;
  checks: CheckScript;
  podTemplate: Record<string, unknown> = { spec: { containers: [{ name: 'app', image: 'app:1.0.0' }] } };
  configChecksums: Record<string, string> = {};
  targetExists = true;
  targetReplicas = 1;
  canaryReadyAt: number | undefined;
  canaryWaitingSince: number | undefined;
  canaryBroken: boolean;
  primaryExists = false;
  primaryReadyAt: number | undefined;
  primaryRevision: string | undefined;
  /** The tracked configs' checksums as copied to the `-primary` copies. */
  primaryConfigChecksums: Record<string, string> = {};
  primaryFailed = false;
  primaryBrokenAfterPromotion: boolean;
  routes: TrafficRoutes | undefined;
  finalizerPresent = false;
  deletionRequested = false;
  removed = false;
  routingReverted = false;
  readonly canaryStartupMs: number;
  readonly primaryRolloutMs: number;
  readonly records: ReconcileRecord[] = [];
  readonly events: CanaryEvent[] = [];
  readonly alerts: CanaryAlertMessage[] = [];
  readonly actions: Action[] = [];
  readonly routeHistory: TrafficRoutes[] = [];
  readonly checkCalls = new Map<string, number>();
  private readonly startMs: number;
  private readonly timelineRows: TimelineRow[] = [];
  private cookieCounter = 0;
  /** When set, the next status write is lost (a crash between acting and persisting). */
  loseNextStatusWrite = false;
  private wakeAt: number | undefined;
  private hashedTemplate: Record<string, unknown> | undefined;
  private cachedHash = '';

  constructor(options: WorldOptions) {
    this.startMs = Date.parse(options.start ?? '2024-01-11T09:00:00Z');
    this.now = this.startMs;
    this.rawSpec = options.spec;
    this.spec = withCanaryDefaults(options.spec);
    this.provider = options.provider ?? options.spec.provider ?? 'istio';
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.checks = options.checks ?? allChecksPass;
    this.canaryStartupMs = options.canaryStartupMs ?? 0;
    this.primaryRolloutMs = options.primaryRolloutMs ?? 0;
    this.canaryBroken = options.canaryBroken ?? false;
    this.primaryBrokenAfterPromotion = options.primaryBrokenAfterPromotion ?? false;
    this.canaryReadyAt = this.now;
  }

  // ---- what a user does ----

  /** A new revision of the target (e.g. a new image); pods of a running target restart. */
  changeTarget(image: string): void {
    this.wakeAt = this.now;
    const spec = this.podTemplate['spec'] as { containers: { name: string; image: string }[] };
    this.podTemplate = { spec: { ...spec, containers: [{ name: 'app', image }] } };
    if (this.targetReplicas > 0) this.restartCanaryPods();
  }

  changeConfig(name: string, checksum: string): void {
    this.wakeAt = this.now;
    this.configChecksums = { ...this.configChecksums, [name]: checksum };
    if (this.targetReplicas > 0) this.restartCanaryPods();
  }

  updateSpec(change: (spec: CanarySpec) => CanarySpec): void {
    this.wakeAt = this.now;
    this.rawSpec = change(this.rawSpec);
    this.spec = withCanaryDefaults(this.rawSpec);
  }

  /** kubectl delete of the target; its pods go with it. */
  deleteTarget(): void {
    this.wakeAt = this.now;
    this.targetExists = false;
    this.targetReplicas = 0;
    this.canaryReadyAt = undefined;
  }

  /** The target applied again (e.g. by a GitOps sync) with its current template. */
  recreateTarget(): void {
    this.wakeAt = this.now;
    this.targetExists = true;
    this.targetReplicas = 1;
    this.restartCanaryPods();
  }

  /** The primary workload disappears (e.g. garbage-collected after the Canary was deleted and applied again). */
  deletePrimary(): void {
    this.wakeAt = this.now;
    this.primaryExists = false;
    this.primaryRevision = undefined;
    this.primaryReadyAt = undefined;
  }

  requestDeletion(): void {
    this.wakeAt = this.now;
    this.deletionRequested = true;
  }

  // ---- the observation the shell would build ----

  get targetHash(): string {
    if (this.hashedTemplate !== this.podTemplate) {
      this.hashedTemplate = this.podTemplate;
      this.cachedHash = podTemplateHash(this.podTemplate);
    }
    return this.cachedHash;
  }

  observe(): Observation {
    this.cookieCounter += 1;
    return {
      canary: { name: 'podinfo', namespace: 'test', generation: 1 },
      spec: this.spec,
      status: this.status,
      provider: this.provider,
      // As the controller observes a deleted target: the revision and configs of the run.
      ...(this.targetExists
        ? { targetHash: this.targetHash, configChecksums: this.configChecksums }
        : {
            targetMissing: true,
            targetHash: this.status.lastAppliedSpec ?? '',
            configChecksums: this.status.trackedConfigs ?? {},
          }),
      targetReplicas: this.targetReplicas,
      primaryReadiness: this.primaryReadiness(),
      canaryReadiness: this.canaryReadiness(),
      ...(this.primaryRevision !== undefined && { primaryRevision: this.primaryRevision }),
      ...(!this.primaryExists && { primaryMissing: 'Deployment podinfo-primary.test not found' }),
      routes: this.routes,
      now: new Date(this.now),
      deletion: { requested: this.deletionRequested, finalizerPresent: this.finalizerPresent },
      freshCookieValues: { canary: `c${this.cookieCounter}`, primary: `p${this.cookieCounter}` },
    };
  }

  primaryReadiness(): Readiness {
    if (!this.primaryExists) return { state: 'waiting', message: 'podinfo-primary.test not ready: not found' };
    if (this.primaryFailed) return { state: 'failed', message: 'podinfo-primary.test progress deadline exceeded' };
    if (this.primaryReadyAt === undefined || this.now < this.primaryReadyAt) {
      return { state: 'waiting', message: 'podinfo-primary.test not ready: waiting for rollout to finish' };
    }
    return { state: 'ready' };
  }

  canaryReadiness(): Readiness {
    if (!this.targetExists) return { state: 'waiting', message: 'podinfo.test not ready: not found' };
    if (this.targetReplicas === 0) return { state: 'waiting', message: 'podinfo.test not ready: scaled to zero' };
    if (this.canaryBroken) {
      const since = this.canaryWaitingSince ?? this.now;
      if (this.now - since >= this.spec.progressDeadlineSeconds * 1000) {
        return { state: 'failed', message: 'podinfo.test has exceeded its progress deadline' };
      }
      return { state: 'waiting', message: 'podinfo.test not ready: waiting for rollout to finish' };
    }
    if (this.canaryReadyAt === undefined || this.now < this.canaryReadyAt) {
      return { state: 'waiting', message: 'podinfo.test not ready: waiting for rollout to finish' };
    }
    return { state: 'ready' };
  }

  // ---- one reconcile ----

  reconcile(): ReconcileRecord {
    const observation = this.observe();
    const results: CheckResult[] = [];
    const batches: CheckBatch[] = [];
    for (
      let batch = plan(observation, results, this.timings);
      batch;
      batch = plan(observation, results, this.timings)
    ) {
      batches.push(batch);
      this.runBatch(batch, results);
    }
    const decision = decide(observation, results, this.timings);
    const outcome = this.execute(decision.actions);
    if (outcome.kind === 'preconditions-unmet' && this.targetAsObserved(observation)) {
      // Only a change during the checks may invalidate a decision; otherwise the shell would decide again forever.
      throw new Error(`decision contradicts its own observation: ${outcome.message}`);
    }
    const preconditionUnmet = outcome.kind === 'preconditions-unmet' ? outcome.message : undefined;
    // Like the controller: a decision whose preconditions failed writes nothing and is made again at once.
    const worldChanged = outcome.kind === 'preconditions-unmet' || outcome.worldChanged;
    const writeLost = this.loseNextStatusWrite;
    if (preconditionUnmet === undefined) {
      this.events.push(...decision.events);
      this.alerts.push(...decision.alerts);
      if (writeLost) this.loseNextStatusWrite = false;
      else this.status = decision.status;
    }
    this.recordTimeline();
    const record = {
      now: this.now,
      observation,
      batches,
      results,
      decision,
      preconditionUnmet,
      writeLost,
      worldChanged,
    };
    this.records.push(record);
    return record;
  }

  /**
   * Moves the clock to the wake-up time of the previous reconcile (its requeue, or sooner the next change a watch
   * would report), then reconciles.
   */
  step(): ReconcileRecord {
    if (this.wakeAt !== undefined) this.now = Math.max(this.now, this.wakeAt);
    return this.reconcileAgain();
  }

  /**
   * Reconciles at the current instant and sets the wake-up time. Called on its own it is a second reconcile at the
   * same instant, as after a controller restart with the status persisted.
   */
  reconcileAgain(): ReconcileRecord {
    const record = this.reconcile();
    // Acting on watched objects (or failing to write status) brings the shell back at once, as a watch would.
    const actedOrFailed = record.writeLost || record.worldChanged;
    this.wakeAt = actedOrFailed
      ? this.now
      : Math.min(this.now + record.decision.requeueAfterMs, this.nextWorldChange() ?? Infinity);
    return record;
  }

  /** Lets time pass without a reconcile (nothing was due); a later user change still wakes the shell at once. */
  advance(ms: number): this {
    this.now += ms;
    this.wakeAt = this.now;
    return this;
  }

  /** Steps until `done` holds after a reconcile, or throws after maxSteps. */
  runUntil(done: (world: SimulatedWorld) => boolean, maxSteps = 500): this {
    for (let steps = 0; steps < maxSteps; steps++) {
      this.step();
      if (done(this) || this.removed) return this;
    }
    throw new Error(
      `not done after ${maxSteps} steps; phase ${this.status.phase}: ${this.lastRecord()?.decision.explanation}`,
    );
  }

  /** Initializes the Canary (primary created and ready). */
  initialize(): this {
    return this.runUntil((world) => world.status.phase === 'Initialized');
  }

  runUntilPhase(...phases: CanaryPhase[]): this {
    return this.runUntil((world) => phases.includes(world.status.phase ?? ''));
  }

  lastRecord(): ReconcileRecord | undefined {
    return this.records.at(-1);
  }

  /** Status rows whenever phase, weight, failed checks or iterations changed, like `kubectl get canary -w`. */
  timeline(): readonly TimelineRow[] {
    return this.timelineRows;
  }

  /** The timeline as "Phase weight" strings. */
  phasesAndWeights(fromPhase?: CanaryPhase): string[] {
    const rows = this.timelineRows.map((row) => `${row.phase} ${row.canaryWeight}`);
    const start = fromPhase ? rows.findIndex((row) => row.startsWith(`${fromPhase} `)) : 0;
    return rows.slice(Math.max(0, start));
  }

  metricChecks(): number {
    return this.records.reduce(
      (count, record) => count + record.results.filter((result) => result.kind === 'metric').length,
      0,
    );
  }

  eventMessages(): string[] {
    return this.events.map((event) => event.message);
  }

  secondsSinceStart(): number {
    return (this.now - this.startMs) / 1000;
  }

  // ---- the world's reaction to actions ----

  private targetAsObserved(observation: Observation): boolean {
    if (!this.targetExists) return observation.targetMissing === true;
    return (
      observation.targetHash === this.targetHash &&
      JSON.stringify(observation.configChecksums) === JSON.stringify(this.configChecksums)
    );
  }

  /**
   * Carries out a decision's actions under the executors' contract (executor-contract.ts): all preconditions are
   * checked before the first change; if one fails nothing changes.
   */
  execute(actions: readonly Action[]): SimulatedExecution {
    const unmet = unmetPrecondition(actions, {
      revision: this.targetExists ? this.targetHash : undefined,
      configChecksum: (key) => (this.targetExists ? this.configChecksums[key] : undefined),
    });
    if (unmet !== undefined) return { kind: 'preconditions-unmet', message: unmet };
    let worldChanged = false;
    for (const action of actions) worldChanged = this.apply(action) || worldChanged;
    return { kind: 'executed', worldChanged };
  }

  private runBatch(batch: CheckBatch, results: CheckResult[]): void {
    for (const check of batch.checks) {
      const call = (this.checkCalls.get(check.id) ?? 0) + 1;
      this.checkCalls.set(check.id, call);
      const result = this.checks(check, call, this);
      results.push(result);
      if (result.kind !== 'webhook') continue;
      if (batch.runUntil === 'first-failure' && !result.ok) return;
      if (batch.runUntil === 'first-success' && result.ok) return;
    }
  }

  /** Applies one action; true if it changed an object a watch would report. */
  private apply(action: Action): boolean {
    this.actions.push(action);
    switch (action.type) {
      case 'addFinalizer':
      case 'removeFinalizer': {
        const present = action.type === 'addFinalizer';
        if (this.finalizerPresent === present) return false;
        this.finalizerPresent = present;
        if (!present && this.deletionRequested) this.removed = true;
        return true;
      }
      case 'ensurePrimary':
        if (this.primaryExists) return false;
        this.primaryExists = true;
        this.primaryConfigChecksums = { ...this.configChecksums };
        this.primaryRevision = action.revision;
        this.primaryReadyAt = this.now + this.primaryRolloutMs;
        return true;
      case 'setRoutes':
        assertValidRoutes(action.routes);
        this.routeHistory.push(action.routes);
        if (this.routes && sameSplit(this.routes, action.routes)) return false;
        this.routes = action.routes;
        return true;
      case 'scaleTargetToZero':
        if (this.targetReplicas === 0) return false;
        this.targetReplicas = 0;
        this.canaryReadyAt = undefined;
        return true;
      case 'scaleTargetUp':
        if (this.targetReplicas > 0) return false;
        this.targetReplicas = 1;
        this.restartCanaryPods();
        return true;
      case 'promote':
        if (this.primaryRevision === action.revision) return false;
        this.primaryRevision = action.revision;
        this.primaryReadyAt = this.now + this.primaryRolloutMs;
        if (this.primaryBrokenAfterPromotion) this.primaryFailed = true;
        return true;
      case 'revertRouting':
        this.routingReverted = true;
        return true;
      case 'syncPrimaryConfigs': {
        const changed = JSON.stringify(this.primaryConfigChecksums) !== JSON.stringify(this.configChecksums);
        this.primaryConfigChecksums = { ...this.configChecksums };
        return changed;
      }
      case 'pauseTargetScaler':
      case 'resumeTargetScaler':
      case 'runPostRolloutHooks':
      case 'recordRunOutcome':
        return false;
    }
  }

  private restartCanaryPods(): void {
    this.canaryReadyAt = this.now + this.canaryStartupMs;
    this.canaryWaitingSince = this.now;
  }

  private nextWorldChange(): number | undefined {
    const candidates = [this.canaryReadyAt, this.primaryReadyAt].filter(
      (time): time is number => time !== undefined && time > this.now,
    );
    if (this.canaryBroken && this.canaryWaitingSince !== undefined && this.targetReplicas > 0) {
      const deadline = this.canaryWaitingSince + this.spec.progressDeadlineSeconds * 1000;
      if (deadline > this.now) candidates.push(deadline);
    }
    return candidates.length > 0 ? Math.min(...candidates) : undefined;
  }

  private recordTimeline(): void {
    const row: TimelineRow = {
      at: (this.now - this.startMs) / 1000,
      phase: this.status.phase ?? '',
      canaryWeight: this.status.canaryWeight ?? 0,
      failedChecks: this.status.failedChecks ?? 0,
      iterations: this.status.iterations ?? 0,
    };
    const last = this.timelineRows.at(-1);
    if (
      last &&
      last.phase === row.phase &&
      last.canaryWeight === row.canaryWeight &&
      last.failedChecks === row.failedChecks &&
      last.iterations === row.iterations
    ) {
      return;
    }
    this.timelineRows.push(row);
  }
}

export type SimulatedExecution =
  | { readonly kind: 'executed'; readonly worldChanged: boolean }
  | { readonly kind: 'preconditions-unmet'; readonly message: string };

function sameSplit(a: TrafficRoutes, b: TrafficRoutes): boolean {
  return a.primaryWeight === b.primaryWeight && a.canaryWeight === b.canaryWeight && a.mirrored === b.mirrored;
}

export function assertValidRoutes(routes: TrafficRoutes): void {
  const { primaryWeight, canaryWeight } = routes;
  if (primaryWeight < 0 || primaryWeight > 100 || canaryWeight < 0 || canaryWeight > 100) {
    throw new Error(`weights out of range: ${JSON.stringify(routes)}`);
  }
  if (primaryWeight + canaryWeight !== 100) throw new Error(`weights do not sum to 100: ${JSON.stringify(routes)}`);
}

/** A script that fails the metric checks whose (1-based) overall metric-check number is listed. */
export function failingMetricChecks(failures: ReadonlySet<number>, base: CheckScript = allChecksPass): CheckScript {
  let metricCheck = 0;
  return (check, call, world) => {
    const result = base(check, call, world);
    if (check.kind !== 'metric' || check.id !== 'metrics[0]') return result;
    metricCheck += 1;
    if (!failures.has(metricCheck)) return result;
    return { kind: 'metric', id: check.id, provider: 'istio', outcome: { type: 'values', values: [50] } };
  };
}

/** A script where the webhook named `name` answers `ok(call)`. */
export function webhookAnswers(
  name: string,
  ok: (call: number) => boolean,
  base: CheckScript = allChecksPass,
): CheckScript {
  return (check, call, world) =>
    check.kind === 'webhook' && check.webhook.name === name
      ? { kind: 'webhook', id: check.id, ok: ok(call), ...(!ok(call) && { message: 'Forbidden' }) }
      : base(check, call, world);
}
