// Property-based tests: random specs, check results, readiness, gates and restarts through the simulated shell.
import { describe, expect, it } from '@jest/globals';
import type { CanaryAnalysis, CanarySpec, CanaryStatus, CanaryWebhook } from '@linnet/api';
import fc from 'fast-check';
import type { CheckResult } from './checks.ts';
import { decide, plan } from './phase-machine.ts';
import { canarySpec, durationMetric, hook, successRateMetric } from './test-support/canary-specs.ts';
import { SimulatedWorld, type CheckScript, type ReconcileRecord } from './test-support/simulated-world.ts';

// Kept small so the core suite stays fast; LINNET_PROPERTY_RUNS=20 (a factor) runs a deeper search.
const RUNS_FACTOR = Number(process.env['LINNET_PROPERTY_RUNS'] ?? 1);

const GATES = ['confirm-rollout', 'confirm-traffic-increase', 'confirm-promotion'] as const;
type Gate = (typeof GATES)[number];
const GATE_REASONS: Record<Gate, string> = {
  'confirm-rollout': 'WaitingForApproval',
  'confirm-traffic-increase': 'WaitingForTrafficIncreaseApproval',
  'confirm-promotion': 'WaitingForPromotionApproval',
};

interface Scenario {
  readonly analysis: CanaryAnalysis;
  readonly skipAnalysis: boolean;
  readonly provider: string;
  /** Seconds after the change at which each gate opens; null = never. Absent = no such gate. */
  readonly gates: Partial<Record<Gate, number | null>>;
  readonly hooks: readonly ('pre-rollout' | 'rollout' | 'post-rollout')[];
  readonly rollbackHookAt: number | null;
  readonly failurePercent: number;
  readonly seed: number;
  readonly canaryStartupMs: number;
  readonly primaryRolloutMs: number;
  readonly canaryBroken: boolean;
  readonly primaryBrokenAfterPromotion: boolean;
  readonly restarts: readonly number[];
  readonly lostWrites: readonly number[];
}

const analysisArb: fc.Arbitrary<CanaryAnalysis> = fc.oneof(
  fc.record({
    stepWeight: fc.integer({ min: 5, max: 60 }),
    maxWeight: fc.integer({ min: 10, max: 100 }),
    mirror: fc.boolean(),
  }),
  fc.record({
    stepWeights: fc
      .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 })
      .map((weights) => [...weights].sort((a, b) => a - b)),
  }),
  fc.record({ iterations: fc.integer({ min: 1, max: 4 }), mirror: fc.boolean() }),
  fc.record({
    iterations: fc.integer({ min: 1, max: 4 }),
    match: fc.constant<CanaryAnalysis['match']>([{ headers: { 'x-canary': { exact: 'insider' } } }]),
  }),
);

const gateArb = fc.option(fc.option(fc.integer({ min: 0, max: 900 }), { freq: 6, nil: null }), { nil: undefined });

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  analysis: fc
    .tuple(
      analysisArb,
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 10, max: 120 }),
      fc.constantFrom(0, 0, 25, 50, 100),
      fc.boolean(),
    )
    .map(([analysis, threshold, intervalSeconds, stepWeightPromotion, sessionAffinity]) => ({
      ...analysis,
      threshold,
      interval: `${intervalSeconds}s`,
      stepWeightPromotion,
      metrics: [successRateMetric, durationMetric],
      ...(sessionAffinity && { sessionAffinity: { cookieName: 'canary', primaryCookieName: 'primary' } }),
    })),
  skipAnalysis: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  provider: fc.constantFrom('istio', 'istio', 'istio', 'kubernetes'),
  gates: fc.record({ 'confirm-rollout': gateArb, 'confirm-traffic-increase': gateArb, 'confirm-promotion': gateArb }),
  hooks: fc.subarray(['pre-rollout', 'rollout', 'post-rollout'] as const),
  rollbackHookAt: fc.option(fc.integer({ min: 0, max: 1200 }), { freq: 1, nil: null }),
  failurePercent: fc.constantFrom(0, 0, 10, 30, 60),
  seed: fc.integer(),
  canaryStartupMs: fc.integer({ min: 0, max: 60_000 }),
  primaryRolloutMs: fc.integer({ min: 0, max: 60_000 }),
  canaryBroken: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  primaryBrokenAfterPromotion: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  restarts: fc.uniqueArray(fc.integer({ min: 0, max: 150 }), { maxLength: 12 }),
  lostWrites: fc.uniqueArray(fc.integer({ min: 0, max: 150 }), { maxLength: 4 }),
});

function specFor(scenario: Scenario): CanarySpec {
  const webhooks: CanaryWebhook[] = [
    ...GATES.filter((gate) => scenario.gates[gate] !== undefined).map((gate) => hook(gate, gate)),
    ...scenario.hooks.map((type) => hook(type, type)),
    ...(scenario.rollbackHookAt !== null ? [hook('abort', 'rollback')] : []),
  ];
  return canarySpec({ ...scenario.analysis, webhooks }, { skipAnalysis: scenario.skipAnalysis });
}

/** Deterministic in (check, persisted state, time): a re-run at the same instant gets the same answers. */
function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function scriptFor(scenario: Scenario, changeAt: () => number): CheckScript {
  return (check, _call, world) => {
    const sinceChange = (world.now - changeAt()) / 1000;
    if (check.kind === 'webhook') {
      const type = check.hookType;
      let ok = true;
      if (type === 'rollback') ok = scenario.rollbackHookAt !== null && sinceChange >= scenario.rollbackHookAt;
      else if ((GATES as readonly string[]).includes(type)) {
        const opensAt = scenario.gates[type as Gate];
        ok = opensAt !== null && opensAt !== undefined && sinceChange >= opensAt;
      } else ok = fnv(`${scenario.seed}:${check.id}:${stateKey(world.status)}`) % 100 >= scenario.failurePercent / 2;
      return { kind: 'webhook', id: check.id, ok, ...(!ok && { message: 'Forbidden' }) };
    }
    const roll = fnv(`${scenario.seed}:${check.id}:${stateKey(world.status)}`) % 100;
    const failed = roll < scenario.failurePercent;
    const good = check.metric.name === 'request-duration' ? 120 : 99.5;
    const bad = check.metric.name === 'request-duration' ? 900 : 90;
    const values = failed && roll % 3 === 0 ? [] : [failed ? bad : good];
    return { kind: 'metric', id: check.id, provider: 'istio', outcome: { type: 'values', values } };
  };
}

const stateKey = (status: CanaryStatus) =>
  `${status.phase}/${status.canaryWeight ?? 0}/${status.iterations ?? 0}/${status.failedChecks ?? 0}/${status.preRolloutPassed ?? false}`;

interface Run {
  readonly world: SimulatedWorld;
  readonly changeAt: number;
  readonly ended: boolean;
}

const MAX_STEPS = 400;

function runScenario(scenario: Scenario, options: { restarts: boolean; lostWrites: boolean }): Run {
  let changeAt = 0;
  const world = new SimulatedWorld({
    spec: specFor(scenario),
    provider: scenario.provider,
    canaryStartupMs: scenario.canaryStartupMs,
    primaryRolloutMs: scenario.primaryRolloutMs,
    canaryBroken: scenario.canaryBroken,
    primaryBrokenAfterPromotion: scenario.primaryBrokenAfterPromotion,
    checks: scriptFor(scenario, () => changeAt),
  }).initialize();
  const restarts = new Set(options.restarts ? scenario.restarts : []);
  const lostWrites = new Set(options.lostWrites ? scenario.lostWrites : []);
  changeAt = world.now;
  world.changeTarget('podinfo:6.0.1');
  for (let step = 0; step < MAX_STEPS; step++) {
    world.loseNextStatusWrite = lostWrites.has(step);
    world.step();
    if (restarts.has(step)) world.reconcileAgain();
    const phase = world.status.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return { world, changeAt, ended: true };
    if (waitingOnGateThatNeverOpens(world, scenario) || world.now - changeAt > 2 * 3600_000) break;
  }
  return { world, changeAt, ended: false };
}

function waitingOnGateThatNeverOpens(world: SimulatedWorld, scenario: Scenario): boolean {
  const reason = world.status.lastDecision?.reason;
  return GATES.some((gate) => GATE_REASONS[gate] === reason && scenario.gates[gate] === null);
}

function latestGateAnswer(records: readonly ReconcileRecord[], upTo: number, gate: Gate): boolean | undefined {
  for (let index = upTo; index >= 0; index--) {
    const record = records[index];
    const batch = record?.batches.find((b) => b.purpose === gate);
    if (!record || !batch) continue;
    return batch.checks.every((check) => record.results.find((r) => r.id === check.id && r.kind === 'webhook' && r.ok));
  }
  return undefined;
}

function assertInvariants(run: Run, scenario: Scenario): void {
  const { world } = run;
  const threshold = scenario.analysis.threshold ?? 1;
  world.records.forEach((record, index) => {
    const { decision, observation } = record;
    const weight = decision.status.canaryWeight ?? 0;
    expect(weight).toBeGreaterThanOrEqual(0);
    expect(weight).toBeLessThanOrEqual(100);
    expect(decision.status.failedChecks ?? 0).toBeLessThanOrEqual(threshold);
    expect(decision.requeueAfterMs).toBeGreaterThanOrEqual(0);
    const before = observation.routes ?? { primaryWeight: 100, canaryWeight: 0, mirrored: false };
    const analysing = ['Progressing', 'WaitingPromotion'].includes(decision.status.phase ?? '');
    if (analysing && weight > (observation.status.canaryWeight ?? 0)) {
      expect(observation.canaryReadiness.state).toBe('ready');
    }
    for (const action of decision.actions) {
      if (action.type === 'setRoutes') {
        expect(action.routes.primaryWeight + action.routes.canaryWeight).toBe(100);
        const more = action.routes.canaryWeight > before.canaryWeight || (action.routes.mirrored && !before.mirrored);
        // Never give weight to a canary that is not ready.
        if (more) expect(observation.canaryReadiness.state).toBe('ready');
      }
      if (action.type === 'promote' && decision.status.phase !== 'Succeeded') {
        // Never promote with the threshold reached or the promotion gate closed.
        expect(observation.status.failedChecks ?? 0).toBeLessThan(threshold);
        if (scenario.gates['confirm-promotion'] !== undefined) {
          expect(latestGateAnswer(world.records, index, 'confirm-promotion')).toBe(true);
        }
      }
    }
  });
}

describe('phase machine properties', () => {
  it('keeps weights valid, never promotes past a failed threshold or a closed gate, never feeds an unready canary, and ends', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const run = runScenario(scenario, { restarts: true, lostWrites: true });
        assertInvariants(run, scenario);
        if (run.ended) return;
        // A run that does not end waits on a named gate that never opens.
        const last = run.world.status.lastDecision;
        const waitingGate = GATES.find((gate) => GATE_REASONS[gate] === last?.reason);
        expect(waitingGate).toBeDefined();
        if (!waitingGate) return;
        expect(scenario.gates[waitingGate]).toBeNull();
        expect(last?.message).toContain(`approval ${waitingGate}`);
      }),
      { numRuns: 30 * RUNS_FACTOR },
    );
  });

  it('a restart (a second reconcile from the persisted status) never repeats or skips a step', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const baseline = runScenario(scenario, { restarts: false, lostWrites: false });
        const restarted = runScenario(scenario, { restarts: true, lostWrites: false });
        expect(restarted.world.timeline()).toEqual(baseline.world.timeline());
        expect(restarted.world.routeHistory).toEqual(baseline.world.routeHistory);
      }),
      { numRuns: 20 * RUNS_FACTOR },
    );
  });

  it('a fresh decision from each persisted status stays at that status or takes exactly the next step', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { world, changeAt } = runScenario(scenario, { restarts: false, lostWrites: false });
        const script = scriptFor(scenario, () => changeAt);
        const states = world.records.map((record) => stateKey(record.decision.status));
        world.records.forEach((record, index) => {
          const observation = { ...record.observation, status: record.decision.status };
          const probe = Object.assign(Object.create(world) as SimulatedWorld, {
            status: record.decision.status,
            now: record.now,
          });
          const results: CheckResult[] = [];
          for (
            let batch = plan(observation, results, world.timings);
            batch;
            batch = plan(observation, results, world.timings)
          ) {
            for (const check of batch.checks) {
              const result = script(check, 1, probe);
              results.push(result);
              if (result.kind === 'webhook' && batch.runUntil === 'first-failure' && !result.ok) break;
              if (result.kind === 'webhook' && batch.runUntil === 'first-success' && result.ok) break;
            }
          }
          const again = stateKey(decide(observation, results, world.timings).status);
          const persisted = states[index];
          const next = states.slice(index + 1).find((state) => state !== persisted);
          expect([persisted, next]).toContain(again);
        });
      }),
      { numRuns: 15 * RUNS_FACTOR },
    );
  });
});
