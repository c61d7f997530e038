// What operators do to a running Canary, decided by the core alone (issue 10): revert the target to the spec the
// primary runs, change the target while a promotion is being decided, delete the target mid-run; and a healthy run
// raises no Warning event.
import { describe, expect, it } from '@jest/globals';
import type { Action } from './decision.ts';
import { decide } from './phase-machine.ts';
import { canarySpec, hook } from './test-support/canary-specs.ts';
import { allChecksPass, SimulatedWorld, webhookAnswers, type CheckScript } from './test-support/simulated-world.ts';

const V1 = 'podinfo:6.0.0';
const V2 = 'podinfo:6.0.1';
const V3 = 'podinfo:6.0.2';

function worldAt(weight: number, checks: CheckScript = allChecksPass): SimulatedWorld {
  const spec = canarySpec({ stepWeight: 10, maxWeight: 50 }, {});
  const world = new SimulatedWorld({
    spec: { ...spec, analysis: { ...spec.analysis, webhooks: [hook('load', 'rollout')] } },
    checks,
  });
  world.changeConfig('configmap/settings', 'v1');
  world.changeTarget(V1);
  world.initialize();
  world.changeTarget(V2);
  return world.runUntil((w) => w.status.phase === 'Progressing' && w.status.canaryWeight === weight);
}

const actionsAfter = (world: SimulatedWorld, from: number): Action[] => world.actions.slice(from);

describe('the target is reverted to the revision the primary runs', () => {
  it('during the analysis: the run ends at once, all traffic on the primary, canary scaled to zero, no hooks', () => {
    const world = worldAt(20);
    const primary = world.primaryRevision;
    const calls = world.checkCalls.get('webhooks[0]');
    const actionsBefore = world.actions.length;
    world.changeTarget(V1);
    const record = world.step();

    expect(record.decision.reason).toBe('TargetReverted');
    expect(world.status).toMatchObject({ phase: 'Succeeded', canaryWeight: 0, lastAppliedSpec: primary });
    expect(world.routes).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    expect(world.targetReplicas).toBe(0);
    expect(world.primaryRevision).toBe(primary);
    expect(record.decision.events).toEqual([
      { type: 'Normal', reason: 'TargetReverted', message: expect.stringContaining('was reverted') },
    ]);
    expect(world.status.lastDecision?.message).toMatch(/reverted to the revision podinfo-primary.test runs/);
    expect(actionsAfter(world, actionsBefore).map((action) => action.type)).toEqual([
      'setRoutes',
      'pauseTargetScaler',
      'scaleTargetToZero',
    ]);
    // Nothing more happens: no hook, no check, no promotion.
    world.runUntil(() => true, 3);
    expect(world.checkCalls.get('webhooks[0]')).toBe(calls);
    expect(world.status.phase).toBe('Succeeded');
  });

  it('while waiting for promotion approval: the same ending', () => {
    const spec = canarySpec({ stepWeight: 50, maxWeight: 50, webhooks: [hook('approve', 'confirm-promotion')] });
    const world = new SimulatedWorld({ spec, checks: webhookAnswers('approve', () => false) });
    world.changeTarget(V1);
    world.initialize();
    world.changeTarget(V2);
    world.runUntilPhase('WaitingPromotion');
    world.changeTarget(V1);
    world.step();
    expect(world.status).toMatchObject({ phase: 'Succeeded', canaryWeight: 0 });
    expect(world.routes).toMatchObject({ primaryWeight: 100 });
  });

  it('while waiting for rollout approval: the wait ends without a run', () => {
    const spec = canarySpec({ stepWeight: 50, webhooks: [hook('approve', 'confirm-rollout')] });
    const world = new SimulatedWorld({ spec, checks: webhookAnswers('approve', () => false) });
    world.changeTarget(V1);
    world.initialize();
    world.changeTarget(V2);
    world.runUntilPhase('Waiting');
    world.changeTarget(V1);
    world.step();
    expect(world.status.phase).toBe('Succeeded');
    expect(world.targetReplicas).toBe(0);
  });
});

describe('promotion is all or nothing', () => {
  /** Changes the world while the check that leads to promotion (the one at weight 50) runs. */
  const changeDuringLastCheck =
    (change: (world: SimulatedWorld) => void): CheckScript =>
    (check, call, world) => {
      if (check.kind === 'metric' && world.status.canaryWeight === 50 && world.targetHash !== world.primaryRevision) {
        if (world.status.lastAppliedSpec === world.targetHash && world.records.every((r) => !r.preconditionUnmet)) {
          change(world);
        }
      }
      return allChecksPass(check, call, world);
    };

  it('a template change during the checks: nothing of the promotion is written; the analysis restarts', () => {
    const world = worldAt(
      50,
      changeDuringLastCheck((w) => w.changeTarget(V3)),
    );
    const primaryBefore = world.primaryRevision;
    const configsBefore = world.primaryConfigChecksums;
    world.runUntil((w) => w.records.some((record) => record.preconditionUnmet !== undefined), 20);
    const refused = world.records.find((record) => record.preconditionUnmet !== undefined);
    expect(refused?.decision.actions.map((action) => action.type)).toEqual(['syncPrimaryConfigs', 'promote']);
    expect(refused?.preconditionUnmet).toMatch(/was decided for target revision .* but the target is now/);
    expect(world.primaryRevision).toBe(primaryBefore);
    expect(world.primaryConfigChecksums).toBe(configsBefore);
    // The core decides what follows: the newest revision is analysed from weight 0, then promoted.
    world.step();
    expect(world.status).toMatchObject({ phase: 'Progressing', canaryWeight: 0, lastAppliedSpec: world.targetHash });
    world.runUntilPhase('Succeeded');
    expect(world.primaryRevision).toBe(world.targetHash);
  });

  it('a config change during the checks: the -primary copies keep the configuration the primary runs', () => {
    const world = worldAt(
      50,
      changeDuringLastCheck((w) => w.changeConfig('configmap/settings', 'changed')),
    );
    const configsBefore = { ...world.primaryConfigChecksums };
    world.runUntil((w) => w.records.some((record) => record.preconditionUnmet !== undefined), 20);
    expect(world.primaryConfigChecksums).toEqual(configsBefore);
    world.runUntilPhase('Succeeded');
    expect(world.primaryConfigChecksums).toEqual({ 'configmap/settings': 'changed' });
  });
});

describe('the target is deleted mid-run', () => {
  it('traffic returns to the primary at once, the status says why, and a re-created target starts a new run', () => {
    const world = worldAt(20);
    world.deleteTarget();
    const record = world.step();
    expect(world.routes).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    expect(world.status).toMatchObject({ phase: 'Failed', canaryWeight: 0 });
    expect(record.decision.reason).toBe('TargetDeleted');
    expect(record.decision.events).toContainEqual(
      expect.objectContaining({ type: 'Warning', reason: 'TargetDeleted' }),
    );
    expect(world.status.lastDecision?.message).toMatch(/was deleted during the run/);

    world.runUntil(() => true, 3);
    expect(world.status.phase).toBe('Failed');
    world.recreateTarget();
    world.runUntilPhase('Succeeded');
    expect(world.primaryRevision).toBe(world.targetHash);
  });
});

describe('a healthy run raises no Warning event', () => {
  it('waits for pods and the primary rollout as Normal events', () => {
    const spec = canarySpec({ stepWeight: 25, maxWeight: 50 });
    const world = new SimulatedWorld({ spec, canaryStartupMs: 20_000, primaryRolloutMs: 20_000 });
    world.initialize();
    world.changeTarget(V2);
    world.runUntilPhase('Succeeded');
    expect(world.events.filter((event) => event.type === 'Warning')).toEqual([]);
    expect(world.events.map((event) => event.reason)).toEqual(
      expect.arrayContaining(['PrimaryNotReady', 'CanaryNotReady']),
    );
  });
});

describe('webhook payloads in WaitingPromotion', () => {
  it('rollout and confirm-promotion hooks get phase Progressing, rollback hooks the current phase (as Flagger)', () => {
    const spec = canarySpec({
      stepWeight: 50,
      maxWeight: 50,
      threshold: 100,
      webhooks: [hook('load', 'rollout'), hook('approve', 'confirm-promotion'), hook('abort', 'rollback')],
    });
    const world = new SimulatedWorld({
      spec,
      checks: webhookAnswers(
        'abort',
        () => false,
        webhookAnswers('approve', () => false),
      ),
    });
    world.initialize();
    world.changeTarget(V2);
    world.runUntilPhase('WaitingPromotion');
    world.runUntil((w) => (w.lastRecord()?.observation.status.phase ?? '') === 'WaitingPromotion', 10);
    const phases = Object.fromEntries(
      world
        .lastRecord()!
        .batches.flatMap((batch) => batch.checks)
        .filter((check) => check.kind === 'webhook')
        .map((check) => [check.webhook.name, check.payload.phase]),
    );
    expect(phases).toEqual({ abort: 'WaitingPromotion', load: 'Progressing', approve: 'Progressing' });
  });
});

describe('the primary disappears (deleted and re-applied Canary, garbage collection)', () => {
  it('is created again from the target, whatever the phase', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 50 }), primaryRolloutMs: 5_000 });
    world.initialize();
    world.changeTarget(V2);
    world.runUntilPhase('Succeeded');
    world.deletePrimary();
    const record = world.step();
    expect(record.decision.actions).toContainEqual(expect.objectContaining({ type: 'ensurePrimary' }));
    expect(record.decision.events).toContainEqual(
      expect.objectContaining({ type: 'Warning', reason: 'PrimaryMissing' }),
    );
    world.runUntilPhase('Initialized');
    expect(world.primaryRevision).toBe(world.targetHash);
  });
});

describe('a manual promotion after the target was reverted', () => {
  it('is discarded and the run ends as a revert (not a promotion the executors would refuse again and again)', () => {
    const world = worldAt(20);
    world.changeTarget(V1);
    const request = { action: 'promote' as const, requestedAt: '2024-01-11T09:30:00Z' };
    const decision = decide({ ...world.observe(), manualAction: request });
    expect(decision.actions.map((action) => action.type)).not.toContain('promote');
    expect(decision.status.lastManualAction).toMatchObject({ action: 'promote', result: 'discarded' });
    expect(decision.status.phase).toBe('Succeeded');
  });
});
