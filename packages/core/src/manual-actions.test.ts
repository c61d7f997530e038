// Manual controls (docs/cli.md): promote, abort and retry in each phase, through the simulated shell, which reads
// the request into the Observation and removes it once status.lastManualAction records it.
import { describe, expect, it } from '@jest/globals';
import type { CanaryPhase, ManualAction, ManualActionRequest } from '@linnet/api';
import type { Observation } from './observation.ts';
import { canarySpec, hook } from './test-support/canary-specs.ts';
import {
  failingMetricChecks,
  SimulatedWorld,
  webhookAnswers,
  type ReconcileRecord,
  type WorldOptions,
} from './test-support/simulated-world.ts';

class ManualWorld extends SimulatedWorld {
  pending: ManualActionRequest | undefined;
  acknowledged: ManualActionRequest[] = [];

  override observe(): Observation {
    const observation = super.observe();
    return this.pending ? { ...observation, manualAction: this.pending } : observation;
  }

  override reconcile(): ReconcileRecord {
    const record = super.reconcile();
    const last = this.status.lastManualAction;
    const pending = this.pending;
    if (pending && last?.action === pending.action && last.requestedAt === pending.requestedAt) {
      this.acknowledged.push(pending);
      this.pending = undefined;
    }
    return record;
  }

  request(action: ManualAction): ManualActionRequest {
    this.pending = { action, requestedAt: new Date(this.now).toISOString() };
    return this.pending;
  }
}

const longInterval = { interval: '10m', stepWeight: 10, maxWeight: 50 };

type Setup = () => ManualWorld;

function world(options: Partial<WorldOptions> & Pick<WorldOptions, 'spec'>): ManualWorld {
  return new ManualWorld(options).initialize() as ManualWorld;
}

/** A run at 10% with the next check ten minutes away. */
const progressing: Setup = () => {
  const w = world({ spec: canarySpec(longInterval) });
  w.changeTarget('app:2');
  return w.runUntil((x) => x.status.phase === 'Progressing' && x.status.canaryWeight === 10) as ManualWorld;
};
const waitingPromotion: Setup = () => {
  const w = world({
    spec: canarySpec({ ...longInterval, stepWeight: 50, webhooks: [hook('gate', 'confirm-promotion')] }),
    checks: webhookAnswers('gate', () => false),
  });
  w.changeTarget('app:2');
  return w.runUntilPhase('WaitingPromotion') as ManualWorld;
};
const waiting: Setup = () => {
  const w = world({
    spec: canarySpec({ ...longInterval, webhooks: [hook('gate', 'confirm-rollout')] }),
    checks: webhookAnswers('gate', () => false),
  });
  w.changeTarget('app:2');
  return w.runUntilPhase('Waiting') as ManualWorld;
};
const failed: Setup = () => {
  const w = world({ spec: canarySpec({ ...longInterval, threshold: 1 }), checks: failingMetricChecks(new Set([1])) });
  w.changeTarget('app:2');
  return w.runUntilPhase('Failed') as ManualWorld;
};
const succeeded: Setup = () => {
  const w = world({ spec: canarySpec({ interval: '1m', stepWeight: 50 }) });
  w.changeTarget('app:2');
  return w.runUntilPhase('Succeeded') as ManualWorld;
};
const initialized: Setup = () => world({ spec: canarySpec(longInterval) });
const promoting: Setup = () => {
  const w = world({ spec: canarySpec({ interval: '1m', stepWeight: 50 }), primaryRolloutMs: 120_000 });
  w.changeTarget('app:2');
  return w.runUntilPhase('Promoting') as ManualWorld;
};

const setups: Record<string, Setup> = {
  Progressing: progressing,
  WaitingPromotion: waitingPromotion,
  Waiting: waiting,
  Failed: failed,
  Succeeded: succeeded,
  Initialized: initialized,
  Promoting: promoting,
};

/** Phase right after the request was handled, and whether it acted. */
const table: [phase: string, action: ManualAction, after: CanaryPhase, result: 'acted' | 'discarded'][] = [
  ['Progressing', 'promote', 'Promoting', 'acted'],
  ['WaitingPromotion', 'promote', 'Promoting', 'acted'],
  // Waiting: the canary is scaled to zero (its run never started), so it cannot be promoted.
  ['Waiting', 'promote', 'Waiting', 'discarded'],
  ['Failed', 'promote', 'Failed', 'discarded'],
  ['Succeeded', 'promote', 'Succeeded', 'discarded'],
  ['Initialized', 'promote', 'Initialized', 'discarded'],
  ['Progressing', 'abort', 'Failed', 'acted'],
  ['WaitingPromotion', 'abort', 'Failed', 'acted'],
  ['Waiting', 'abort', 'Failed', 'acted'],
  ['Promoting', 'abort', 'Promoting', 'discarded'],
  ['Failed', 'abort', 'Failed', 'discarded'],
  ['Succeeded', 'abort', 'Succeeded', 'discarded'],
  ['Failed', 'retry', 'Progressing', 'acted'],
  ['Progressing', 'retry', 'Progressing', 'discarded'],
  ['Succeeded', 'retry', 'Succeeded', 'discarded'],
  ['Promoting', 'retry', 'Promoting', 'discarded'],
];

describe('manual actions', () => {
  it.each(table)('%s + %s → %s (%s)', (phase, action, after, result) => {
    const w = setups[phase]!();
    expect(w.status.phase).toBe(phase);
    const request = w.request(action);
    const record = w.reconcileAgain();
    expect(w.status.phase).toBe(after);
    expect(w.status.lastManualAction).toMatchObject({ action, requestedAt: request.requestedAt, result });
    expect(w.acknowledged).toEqual([request]);
    if (result === 'discarded') {
      expect(record.decision.events).toContainEqual(
        expect.objectContaining({ type: 'Normal', reason: 'ManualActionIgnored' }),
      );
      expect(w.status.lastManualAction?.message).toMatch(new RegExp(`^${action} ignored: `));
    }
  });

  it('promote skips the remaining steps and gates: Promoting, Finalising, Succeeded', () => {
    const w = progressing();
    const metricChecks = w.metricChecks();
    w.request('promote');
    w.runUntilPhase('Succeeded');
    expect(w.phasesAndWeights('Promoting')).toEqual(['Promoting 10', 'Finalising 0', 'Succeeded 0']);
    expect(w.metricChecks()).toBe(metricChecks);
    expect(w.actions).toContainEqual(expect.objectContaining({ type: 'promote', revision: w.targetHash }));
    expect(w.status.lastPromotedSpec).toBe(w.targetHash);
  });

  it('promote of an unready canary is discarded and says why', () => {
    const w = new ManualWorld({
      spec: canarySpec(longInterval),
      canaryStartupMs: 3_600_000,
    }).initialize() as ManualWorld;
    w.changeTarget('app:2');
    w.runUntil((x) => x.status.phase === 'Progressing');
    w.request('promote');
    const record = w.reconcileAgain();
    expect(w.status.phase).toBe('Progressing');
    expect(w.status.lastManualAction?.message).toMatch(/^promote ignored: podinfo\.test is not ready/);
    expect(record.decision.actions.some((action) => action.type === 'promote')).toBe(false);
  });

  it('abort rolls back like a threshold rollback and says so', () => {
    const w = progressing();
    const request = w.request('abort');
    const record = w.reconcileAgain();
    expect(w.status.phase).toBe('Failed');
    expect(w.routes).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    expect(w.targetReplicas).toBe(0);
    expect(record.decision.reason).toBe('Aborted');
    expect(w.status.lastDecision?.message).toContain(`aborted by linnet abort at ${request.requestedAt}`);
    expect(record.decision.events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'Aborted' }));
    expect(record.decision.actions).toContainEqual(
      expect.objectContaining({ type: 'recordRunOutcome', outcome: 'failure' }),
    );
    // Failed stays Failed: the aborted revision is not started again by itself.
    w.runUntil(() => true, 3);
    expect(w.status.phase).toBe('Failed');
  });

  it('retry starts a new run of the same revision with the counters reset', () => {
    const w = failed();
    expect(w.status.failedChecks).toBe(1);
    const revision = w.targetHash;
    w.checks = failingMetricChecks(new Set());
    w.request('retry');
    w.reconcileAgain();
    expect(w.status).toMatchObject({ phase: 'Progressing', failedChecks: 0, iterations: 0, canaryWeight: 0 });
    expect(w.status.lastAppliedSpec).toBe(revision);
    expect(w.actions.at(-1)).toEqual({ type: 'scaleTargetUp', replicas: 'fromZero' });
    w.runUntilPhase('Succeeded', 'Failed');
    expect(w.status.phase).toBe('Succeeded');
  });

  it('a suspended Canary keeps the request pending until it is resumed', () => {
    const w = progressing();
    w.updateSpec((spec) => ({ ...spec, suspend: true }));
    const request = w.request('promote');
    w.reconcileAgain();
    expect(w.pending).toEqual(request);
    expect(w.status.phase).toBe('Progressing');
    w.updateSpec((spec) => ({ ...spec, suspend: false }));
    w.reconcileAgain();
    expect(w.pending).toBeUndefined();
    expect(w.status.phase).toBe('Promoting');
  });

  it.each<[string, ManualAction]>([
    ['Progressing', 'promote'],
    ['Progressing', 'abort'],
    ['Failed', 'retry'],
  ])('replay: %s + %s seen again after the status write is only acknowledged', (phase, action) => {
    const w = setups[phase]!();
    const request = w.request(action);
    w.reconcileAgain();
    const afterFirst = w.status;
    // The controller stopped before removing the request: the next reconcile sees it again.
    w.pending = request;
    const record = w.reconcileAgain();
    expect(w.pending).toBeUndefined();
    expect(w.status.lastManualAction).toEqual(afterFirst.lastManualAction);
    expect(record.decision.events.map((event) => event.reason)).not.toContain('ManualActionIgnored');
    expect(record.decision.events.map((event) => event.reason)).not.toContain(
      { promote: 'PromotionRequested', abort: 'Aborted', retry: 'RetryRequested' }[action],
    );
  });

  it('a lost status write repeats the action, which is safe', () => {
    const w = progressing();
    w.request('promote');
    w.loseNextStatusWrite = true;
    w.reconcileAgain();
    expect(w.pending).toBeDefined();
    w.reconcileAgain();
    expect(w.pending).toBeUndefined();
    expect(w.status.phase).toBe('Promoting');
  });

  it('a request written by hand without a time is never taken for a replay', () => {
    const w = progressing();
    w.pending = { action: 'abort', requestedAt: '' };
    w.reconcileAgain();
    expect(w.status.phase).toBe('Failed');
    expect(w.status.lastDecision?.message).toContain('aborted by linnet abort;');
    w.pending = { action: 'retry', requestedAt: '' };
    w.reconcileAgain();
    expect(w.status.phase).toBe('Progressing');
  });
});
