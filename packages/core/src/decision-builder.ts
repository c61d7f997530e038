// Accumulates one decision: the next status, actions, events and alerts, and derives what every decision shares
// (lastTransitionTime, the Promoted condition, lastDecision, route corrections, the requeue delay).
import type { CanaryPhase, CanaryStatus, DefaultedCanaryAnalysis, DefaultedCanarySpec } from '@linnet/api';
import type { CheckResult } from './checks.ts';
import type { Action, AlertField, CanaryAlertMessage, CanaryEvent, Decision } from './decision.ts';
import type { MessageNames } from './messages.ts';
import type { Observation } from './observation.ts';
import { withPromotedCondition } from './promoted-condition.ts';
import { nextSessionAffinityCookies, routeCookies } from './session-affinity.ts';
import { effectiveAnalysis, trafficRoutingDescription, type DeploymentStrategy } from './strategy.ts';
import { formatTime, parseTime } from './time-format.ts';
import { analysisIntervalMs, type CoreTimings } from './timings.ts';
import { intendedRoutes, sameRoutes } from './traffic-routes.ts';

/** Everything a phase handler needs, derived once per reconcile. */
export interface DecisionContext {
  readonly observation: Observation;
  readonly results: ReadonlyMap<string, CheckResult>;
  readonly timings: CoreTimings;
  readonly spec: DefaultedCanarySpec;
  /** The analysis as run (the kubernetes provider forces blue/green). */
  readonly analysis: DefaultedCanaryAnalysis;
  readonly strategy: DeploymentStrategy;
  readonly providerWarnings: readonly string[];
  readonly names: MessageNames;
  readonly nowMs: number;
  readonly intervalMs: number;
}

export function decisionContext(
  observation: Observation,
  results: readonly CheckResult[],
  timings: CoreTimings,
): DecisionContext {
  const { spec, canary } = observation;
  const { analysis, strategy, providerWarnings } = effectiveAnalysis(spec.analysis, observation.provider);
  const target = spec.targetRef.name;
  return {
    observation,
    results: new Map(results.map((result) => [result.id, result])),
    timings,
    spec,
    analysis,
    strategy,
    providerWarnings,
    names: {
      canary: `${canary.name}.${canary.namespace}`,
      target: `${target}.${canary.namespace}`,
      primary: `${target}-primary.${canary.namespace}`,
      targetKind: spec.targetRef.kind,
    },
    nowMs: observation.now.getTime(),
    intervalMs: analysisIntervalMs(analysis, timings),
  };
}

// Flagger bumps lastTransitionTime on every status write; those writes happen when one of these changes.
const TRANSITION_FIELDS = [
  'phase',
  'canaryWeight',
  'failedChecks',
  'iterations',
  'lastAppliedSpec',
  'lastPromotedSpec',
] as const satisfies readonly (keyof CanaryStatus)[];

type StatusDraft = { -readonly [K in keyof CanaryStatus]: CanaryStatus[K] };

export class DecisionBuilder {
  readonly ctx: DecisionContext;
  private readonly draft: StatusDraft;
  private readonly actions: Action[] = [];
  private readonly events: CanaryEvent[] = [];
  private readonly alerts: CanaryAlertMessage[] = [];
  private requeueMs: number | undefined;
  private persisted: { reason: string; message: string } | undefined;
  private transient: { reason: string; message: string } | undefined;
  private routesTouched = false;

  constructor(ctx: DecisionContext) {
    this.ctx = ctx;
    this.draft = { ...ctx.observation.status };
  }

  get status(): CanaryStatus {
    return this.draft;
  }

  get phase(): CanaryPhase {
    return this.draft.phase ?? '';
  }

  set(fields: Partial<CanaryStatus>): this {
    Object.assign(this.draft, fields);
    return this;
  }

  enterPhase(phase: CanaryPhase): this {
    this.draft.phase = phase;
    return this;
  }

  /** Sets the canary weight and turns the session-affinity cookies accordingly. */
  setCanaryWeight(weight: number): this {
    const from = this.draft.canaryWeight ?? 0;
    const cookies = nextSessionAffinityCookies(
      this.draft,
      from,
      weight,
      this.ctx.analysis.sessionAffinity,
      this.ctx.observation.freshCookieValues,
    );
    delete this.draft.sessionAffinityCookie;
    delete this.draft.primarySessionAffinityCookie;
    delete this.draft.previousSessionAffinityCookie;
    Object.assign(this.draft, cookies, { canaryWeight: weight });
    return this;
  }

  /** Emits setRoutes if the router does not already hold the routes the draft status stands for. */
  routeTraffic(): this {
    this.routesTouched = true;
    const action = this.routeCorrection();
    if (action) this.actions.push(action);
    return this;
  }

  action(...actions: Action[]): this {
    this.actions.push(...actions);
    return this;
  }

  event(type: CanaryEvent['type'], reason: string, message: string): this {
    this.events.push({ type, reason, message });
    return this;
  }

  /** An event that is not repeated while the same situation persists (readiness waits, suspension). */
  eventOnce(type: CanaryEvent['type'], reason: string, message: string): this {
    const last = this.ctx.observation.status.lastDecision;
    if (last?.reason !== reason || last.message !== message) this.event(type, reason, message);
    return this;
  }

  alert(severity: CanaryAlertMessage['severity'], message: string): this {
    this.alerts.push({ severity, message, fields: this.alertFields() });
    return this;
  }

  /** The decision's explanation, also kept in status.lastDecision. */
  explain(reason: string, message: string): this {
    this.persisted = { reason, message };
    this.transient = undefined;
    return this;
  }

  /** An explanation for this reconcile only: waiting for a scheduled time changes nothing worth persisting. */
  note(reason: string, message: string): this {
    this.transient = { reason, message };
    return this;
  }

  requeueAfter(ms: number): this {
    const bounded = Math.max(0, Math.ceil(ms));
    this.requeueMs = this.requeueMs === undefined ? bounded : Math.min(this.requeueMs, bounded);
    return this;
  }

  /** Persists the time of the next scheduled step and requeues for it. */
  scheduleIn(ms: number): this {
    this.draft.nextCheckTime = formatTime(this.ctx.nowMs + ms);
    return this.requeueAfter(ms);
  }

  clearSchedule(): this {
    delete this.draft.nextCheckTime;
    return this;
  }

  /** Milliseconds until the scheduled step; 0 when it is due or nothing is scheduled. */
  msUntilScheduled(): number {
    const at = parseTime(this.draft.nextCheckTime);
    return at === undefined ? 0 : Math.max(0, at - this.ctx.nowMs);
  }

  finish(options: { correctRoutes: boolean } = { correctRoutes: true }): Decision {
    const { observation } = this.ctx;
    const now = formatTime(this.ctx.nowMs);
    const before = observation.status;
    const next = this.draft;

    const phaseChanged = (before.phase ?? '') !== this.phase;
    if (phaseChanged || next.conditions === undefined) {
      const conditions = withPromotedCondition(next.conditions, this.phase, this.ctx.names.targetKind, now);
      if (conditions) next.conditions = conditions;
    }
    if (TRANSITION_FIELDS.some((field) => !sameValue(before[field], next[field]))) next.lastTransitionTime = now;
    if (observation.canary.generation !== undefined) next.observedGeneration = observation.canary.generation;

    const persisted = this.persisted;
    if (persisted) {
      const last = before.lastDecision;
      const repeated = last?.reason === persisted.reason && last.message === persisted.message;
      next.lastDecision = repeated ? last : { ...persisted, time: now };
    }

    const actions = [...this.actions];
    if (options.correctRoutes && !this.routesTouched) {
      // Drift (or a lost write) is corrected first, before any scaling that relies on the routes.
      const correction = this.routeCorrection();
      if (correction) actions.unshift(correction);
    }

    const explanation = this.transient ?? persisted ?? { reason: 'NoChange', message: 'Nothing to do' };
    return {
      status: withoutUndefined(next),
      actions,
      events: this.events,
      alerts: this.alerts,
      requeueAfterMs: this.requeueMs ?? this.ctx.timings.idleResyncMs,
      reason: explanation.reason,
      explanation: explanation.message,
    };
  }

  private routeCorrection(): Action | undefined {
    const { analysis, strategy, observation } = this.ctx;
    const intended = intendedRoutes(this.draft, analysis, strategy, observation.provider);
    if (!intended || sameRoutes(intended, observation.routes)) return undefined;
    // The one place traffic moves: a canary that is not ready never gains traffic, whatever the status says.
    const current = observation.routes ?? { primaryWeight: 100, canaryWeight: 0, mirrored: false };
    const givesCanaryMore = intended.canaryWeight > current.canaryWeight || (intended.mirrored && !current.mirrored);
    if (givesCanaryMore && observation.canaryReadiness.state !== 'ready') return undefined;
    const cookies = routeCookies(this.draft, analysis.sessionAffinity);
    return { type: 'setRoutes', routes: intended, ...(cookies && { cookies }) };
  }

  private alertFields(): AlertField[] {
    const { spec, analysis, strategy, names } = this.ctx;
    return [
      { title: 'Target', value: `${names.targetKind}/${names.target}` },
      { title: 'Failed checks threshold', value: String(analysis.threshold) },
      { title: 'Progress deadline', value: `${spec.progressDeadlineSeconds}s` },
      { title: 'Traffic routing', value: trafficRoutingDescription(analysis, strategy) },
    ];
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function withoutUndefined(status: CanaryStatus): CanaryStatus {
  return Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined)) as CanaryStatus;
}
