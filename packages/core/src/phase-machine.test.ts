// Flagger's tick tables (reference §2.3–2.7) replayed through the simulated shell. Each row is "<phase> <weight>"
// as `kubectl get canary -w` would print it.
import { describe, expect, it } from '@jest/globals';
import type { CanarySpec } from '@linnet/api';
import { canarySpec, hook } from './test-support/canary-specs.ts';
import {
  allChecksPass,
  failingMetricChecks,
  SimulatedWorld,
  webhookAnswers,
  type WorldOptions,
} from './test-support/simulated-world.ts';

/** Initializes, applies a new image and runs until the run ends (Succeeded or Failed). */
function rollout(spec: CanarySpec, options: Partial<WorldOptions> = {}): SimulatedWorld {
  const world = new SimulatedWorld({ spec, ...options }).initialize();
  world.changeTarget('podinfo:6.0.1');
  return world.runUntilPhase('Succeeded', 'Failed');
}

const primaryWeights = (world: SimulatedWorld) => world.routeHistory.map((routes) => routes.primaryWeight);

describe('canary strategy', () => {
  it.each<[string, CanarySpec['analysis'], string[], number[]]>([
    [
      'linear stepWeight 20 / maxWeight 50 overshoots to 60, then promotes',
      { stepWeight: 20, maxWeight: 50 },
      [
        'Progressing 0',
        'Progressing 20',
        'Progressing 40',
        'Progressing 60',
        'Promoting 60',
        'Finalising 0',
        'Succeeded 0',
      ],
      [100, 80, 60, 40, 100],
    ],
    [
      'stepWeights [1,2,10,80]',
      { stepWeights: [1, 2, 10, 80] },
      [
        'Progressing 0',
        'Progressing 1',
        'Progressing 2',
        'Progressing 10',
        'Progressing 80',
        'Promoting 80',
        'Finalising 0',
        'Succeeded 0',
      ],
      [100, 99, 98, 90, 20, 100],
    ],
    [
      'stepWeights [1,2,10,200] stop at 100',
      { stepWeights: [1, 2, 10, 200] },
      [
        'Progressing 0',
        'Progressing 1',
        'Progressing 2',
        'Progressing 10',
        'Progressing 100',
        'Promoting 100',
        'Finalising 0',
        'Succeeded 0',
      ],
      [100, 99, 98, 90, 0, 100],
    ],
    [
      'promotion shift with stepWeightPromotion 50 (TestScheduler_DeploymentAnalysisPhases)',
      { stepWeight: 100, stepWeightPromotion: 50 },
      ['Progressing 0', 'Progressing 100', 'Promoting 100', 'Promoting 50', 'Finalising 0', 'Succeeded 0'],
      [100, 0, 50, 100],
    ],
  ])('%s', (_name, analysis, phases, primary) => {
    const world = rollout(canarySpec(analysis ?? {}));
    expect(world.phasesAndWeights('Progressing')).toEqual(phases);
    expect(primaryWeights(world).slice(1)).toEqual(primary.slice(1));
    expect(world.status).toMatchObject({ phase: 'Succeeded', lastPromotedSpec: world.targetHash });
  });

  it('runs one metric check per weight, the first step right after pre-rollout', () => {
    const world = rollout(canarySpec({ stepWeight: 10, maxWeight: 30 }));
    // Weights 10, 20, 30 each get one check; the check at 30 leads to promotion.
    expect(world.metricChecks()).toBe(3);
    expect(world.eventMessages()).toEqual([
      'podinfo-primary.test not ready: not found',
      'Initialization done! podinfo.test',
      'New revision detected! Scaling up podinfo.test',
      'Starting canary analysis for podinfo.test',
      'Advance podinfo.test canary weight 10',
      'Advance podinfo.test canary weight 20',
      'Advance podinfo.test canary weight 30',
      'Copying podinfo.test template spec to podinfo-primary.test',
      'Routing all traffic to primary',
      'Promotion completed! Scaling down podinfo.test',
    ]);
  });

  it('mirrors first, then shifts live traffic (TestScheduler_DeploymentMirroring)', () => {
    const world = rollout(canarySpec({ stepWeight: 10, maxWeight: 20, mirror: true }));
    expect(
      world.routeHistory.map((r) => `${r.primaryWeight}/${r.canaryWeight}${r.mirrored ? ' mirrored' : ''}`),
    ).toEqual(['100/0', '100/0 mirrored', '90/10', '80/20', '100/0']);
    // One check on mirrored traffic, then one per weight.
    expect(world.metricChecks()).toBe(3);
  });
});

describe('blue/green and A/B', () => {
  it('blue/green with iterations 1: iteration, route to canary, promote (TestScheduler_BlueGreenAnalysisPhases)', () => {
    const world = rollout(canarySpec({ iterations: 1 }));
    expect(
      world
        .timeline()
        .map((r) => `${r.phase} i${r.iterations} w${r.canaryWeight}`)
        .slice(2),
    ).toEqual([
      'Progressing i0 w0',
      'Progressing i1 w0',
      'Progressing i2 w100',
      'Promoting i2 w100',
      'Finalising i0 w0',
      'Succeeded i0 w0',
    ]);
    expect(world.metricChecks()).toBe(2);
    expect(world.eventMessages()).toContain('Advance podinfo.test canary iteration 1/1');
    expect(world.eventMessages()).toContain('Routing all traffic to canary');
  });

  it('blue/green with mirror mirrors during the iterations', () => {
    const world = rollout(canarySpec({ iterations: 2, mirror: true }));
    expect(world.routeHistory.map((r) => `${r.primaryWeight}/${r.canaryWeight}${r.mirrored ? 'm' : ''}`)).toEqual([
      '100/0',
      '100/0m',
      '0/100',
      '100/0',
    ]);
    expect(world.eventMessages()).toContain('Stop traffic mirroring and route all traffic to canary');
  });

  it('A/B testing routes matching requests to the canary for N iterations, then promotes', () => {
    const world = rollout(canarySpec({ iterations: 3, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }));
    expect(
      world
        .timeline()
        .map((r) => `${r.phase} i${r.iterations}`)
        .slice(2),
    ).toEqual([
      'Progressing i0',
      'Progressing i1',
      'Progressing i2',
      'Progressing i3',
      'Promoting i3',
      'Finalising i0',
      'Succeeded i0',
    ]);
    expect(world.metricChecks()).toBe(3);
    expect(primaryWeights(world)).toEqual([100, 0, 100]);
  });

  it('the kubernetes provider forces blue/green with 10 iterations and never shifts traffic', () => {
    const world = rollout(canarySpec({ stepWeight: 10 }), { provider: 'kubernetes' });
    expect(world.status.phase).toBe('Succeeded');
    expect(world.routeHistory).toEqual([{ primaryWeight: 100, canaryWeight: 0, mirrored: false }]);
    expect(world.eventMessages()).toContain('Setting canaryAnalysis.iterations: 10');
    expect(world.eventMessages()).toContain('Advance podinfo.test canary iteration 10/10');
    expect(world.metricChecks()).toBe(11);
  });
});

describe('failed checks and rollback', () => {
  it('rolls back as soon as failedChecks reaches the threshold', () => {
    const world = rollout(canarySpec({ stepWeight: 10, maxWeight: 50, threshold: 2 }), {
      checks: failingMetricChecks(new Set([1, 2])),
    });
    expect(world.phasesAndWeights('Progressing')).toEqual([
      'Progressing 0',
      'Progressing 10',
      'Progressing 10', // failedChecks 1
      'Failed 0',
    ]);
    expect(world.status).toMatchObject({ phase: 'Failed', failedChecks: 2, canaryWeight: 0 });
    expect(world.status.conditions).toEqual([expect.objectContaining({ status: 'False', reason: 'Failed' })]);
    expect(world.targetReplicas).toBe(0);
    expect(world.routes).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    expect(world.eventMessages()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Halt podinfo.test advancement success rate 50.00% < 99%'),
        'Rolling back podinfo.test failed checks threshold reached 2',
        'Canary failed! Scaling down podinfo.test',
      ]),
    );
    expect(world.alerts.map((a) => `${a.severity}: ${a.message}`)).toContain(
      'error: Failed checks threshold reached 2',
    );
  });

  it('failed checks are cumulative: a passing check does not reset them', () => {
    const world = rollout(canarySpec({ stepWeight: 10, maxWeight: 50, threshold: 2 }), {
      checks: failingMetricChecks(new Set([1, 3])),
    });
    expect(world.status).toMatchObject({ phase: 'Failed', failedChecks: 2 });
  });

  it('pre-rollout failures count toward the threshold', () => {
    const world = rollout(canarySpec({ stepWeight: 10, threshold: 2, webhooks: [hook('smoke', 'pre-rollout')] }), {
      checks: webhookAnswers('smoke', () => false),
    });
    expect(world.status).toMatchObject({ phase: 'Failed', failedChecks: 2 });
    expect(world.eventMessages()).toContain('Halt podinfo.test advancement pre-rollout check smoke failed Forbidden');
  });

  it('a rollback webhook that answers ok rolls back (first one wins)', () => {
    const world = rollout(
      canarySpec({ stepWeight: 10, maxWeight: 50, webhooks: [hook('quiet', 'rollback'), hook('abort', 'rollback')] }),
      {
        checks: webhookAnswers(
          'abort',
          (call) => call >= 3,
          webhookAnswers('quiet', () => false),
        ),
      },
    );
    expect(world.status.phase).toBe('Failed');
    expect(world.eventMessages()).toContain('Rolling back podinfo.test manual webhook invoked');
    expect(world.eventMessages()).toContain('Rollback hook quiet not signaling a rollback');
  });

  it('a canary that never becomes ready is rolled back at its progress deadline, with an alert', () => {
    const world = rollout(canarySpec({ stepWeight: 10 }), { canaryBroken: true });
    expect(world.status.phase).toBe('Failed');
    expect(world.eventMessages()).toContain(
      'Rolling back podinfo.test progress deadline exceeded podinfo.test has exceeded its progress deadline',
    );
    expect(world.alerts.map((a) => a.severity)).toContain('error');
  });

  it('a metric without data fails the check and says which metric, threshold and window', () => {
    const world = rollout(canarySpec({ stepWeight: 50 }), {
      checks: (check, call, w) =>
        check.kind === 'metric'
          ? { kind: 'metric', id: check.id, provider: 'istio', outcome: { type: 'values', values: [] } }
          : allChecksPass(check, call, w),
    });
    expect(world.status.phase).toBe('Failed');
    expect(world.eventMessages()).toContain(
      'Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving ' +
        'traffic: no values found (metric request-success-rate over 1m, threshold >= 99%, no value)',
    );
  });
});

describe('gates', () => {
  it('confirm-rollout closed: Waiting, then Progressing once approved', () => {
    const world = rollout(canarySpec({ stepWeight: 50, webhooks: [hook('gate', 'confirm-rollout')] }), {
      checks: webhookAnswers('gate', (call) => call >= 3),
    });
    expect(world.phasesAndWeights('Waiting').slice(0, 3)).toEqual(['Waiting 0', 'Progressing 0', 'Progressing 50']);
    expect(world.status.phase).toBe('Succeeded');
    expect(world.alerts.filter((a) => a.message === 'Canary is waiting for approval.')).toHaveLength(1);
  });

  it('confirm-promotion closed: WaitingPromotion keeps the weight and iterations, analysis continues', () => {
    const world = rollout(
      canarySpec({ stepWeight: 25, maxWeight: 50, webhooks: [hook('promote', 'confirm-promotion')] }),
      {
        checks: webhookAnswers('promote', (call) => call >= 4),
      },
    );
    expect(world.phasesAndWeights('Progressing')).toEqual([
      'Progressing 0',
      'Progressing 25',
      'Progressing 50',
      'WaitingPromotion 50',
      'Promoting 50',
      'Finalising 0',
      'Succeeded 0',
    ]);
    expect(world.timeline().every((row) => row.iterations >= 0)).toBe(true);
    // Checks at 25, then at 50 four times (three closed gates, then open).
    expect(world.metricChecks()).toBe(5);
    expect(world.alerts.filter((a) => a.message === 'Canary promotion is waiting for approval.')).toHaveLength(1);
  });

  it('confirm-promotion never opens: the run waits on the named gate and never promotes', () => {
    const world = new SimulatedWorld({
      spec: canarySpec({ stepWeight: 50, webhooks: [hook('promote', 'confirm-promotion')] }),
      checks: webhookAnswers('promote', () => false),
    }).initialize();
    world.changeTarget('podinfo:6.0.1');
    for (let i = 0; i < 40; i++) world.step();
    expect(world.status.phase).toBe('WaitingPromotion');
    expect(world.status.lastDecision?.message).toContain('waiting for promotion approval promote');
    expect(world.actions.some((action) => action.type === 'promote')).toBe(false);
  });

  it('confirm-traffic-increase closed at weight 0 does not re-run pre-rollout hooks', () => {
    const world = rollout(
      canarySpec({
        stepWeight: 50,
        webhooks: [hook('smoke', 'pre-rollout'), hook('more', 'confirm-traffic-increase')],
      }),
      { checks: webhookAnswers('more', (call) => call >= 3) },
    );
    expect(world.status.phase).toBe('Succeeded');
    expect(world.checkCalls.get('webhooks[0]')).toBe(1);
    expect(world.eventMessages()).toContain('Halt podinfo.test advancement waiting for traffic increase approval more');
    expect(world.alerts.filter((a) => a.message === 'Canary traffic increase is waiting for approval.')).toHaveLength(
      1,
    );
  });

  it('a muted gate sends no alert', () => {
    const world = rollout(
      canarySpec({ stepWeight: 50, webhooks: [hook('gate', 'confirm-rollout', { muteAlert: true })] }),
      {
        checks: webhookAnswers('gate', (call) => call >= 2),
      },
    );
    expect(world.alerts.filter((a) => a.severity === 'warn')).toHaveLength(0);
  });
});

describe('runs wait for a healthy primary', () => {
  it('a new revision does not start while the primary has failed', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 50 }) }).initialize();
    world.primaryFailed = true;
    world.changeTarget('podinfo:6.0.1');
    for (let i = 0; i < 5; i++) world.step();
    expect(world.status.phase).toBe('Initialized');
    expect(world.targetReplicas).toBe(0);
    expect(world.eventMessages().filter((m) => m === 'podinfo-primary.test progress deadline exceeded')).toHaveLength(
      1,
    );
    world.primaryFailed = false;
    world.advance(1000);
    world.runUntilPhase('Succeeded');
  });

  it('rollback hooks are honoured while Waiting for approval', () => {
    const world = rollout(
      canarySpec({ stepWeight: 50, webhooks: [hook('gate', 'confirm-rollout'), hook('abort', 'rollback')] }),
      {
        checks: webhookAnswers(
          'gate',
          () => false,
          webhookAnswers('abort', (call) => call >= 2),
        ),
      },
    );
    expect(world.phasesAndWeights('Waiting')).toEqual(['Waiting 0', 'Failed 0']);
    expect(world.eventMessages()).toContain('Rolling back podinfo.test manual webhook invoked');
  });

  it('confirm-traffic-increase guards live weight, not mirroring', () => {
    const world = rollout(
      canarySpec({ stepWeight: 50, maxWeight: 50, mirror: true, webhooks: [hook('more', 'confirm-traffic-increase')] }),
      { checks: webhookAnswers('more', (call) => call >= 2) },
    );
    const gateBatches = world.records.filter((record) =>
      record.batches.some((b) => b.purpose === 'confirm-traffic-increase'),
    );
    expect(gateBatches.map((record) => record.observation.status.preRolloutPassed)).toEqual([true, true]);
    expect(world.routeHistory.map((r) => `${r.primaryWeight}/${r.canaryWeight}${r.mirrored ? 'm' : ''}`)).toEqual([
      '100/0',
      '100/0m',
      '50/50',
      '100/0',
    ]);
  });
});

describe('revisions', () => {
  it('a new revision mid-run restarts the analysis from weight 0', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 20, maxWeight: 60 }) }).initialize();
    world.changeTarget('podinfo:6.0.1');
    world.runUntil((w) => w.status.canaryWeight === 40);
    world.changeTarget('podinfo:6.0.2');
    world.runUntilPhase('Succeeded', 'Failed');
    expect(world.phasesAndWeights('Progressing')).toEqual([
      'Progressing 0',
      'Progressing 20',
      'Progressing 40',
      'Progressing 0',
      'Progressing 20',
      'Progressing 40',
      'Progressing 60',
      'Promoting 60',
      'Finalising 0',
      'Succeeded 0',
    ]);
    expect(world.eventMessages()).toContain('New revision detected! Restarting analysis for podinfo.test');
    expect(world.status.lastPromotedSpec).toBe(world.targetHash);
    expect(primaryWeights(world)).toEqual([100, 80, 60, 100, 80, 60, 40, 100]);
  });

  it('a tracked ConfigMap change starts a run', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 50 }) }).initialize();
    world.changeConfig('configmap/podinfo-config', 'aaaa');
    world.runUntilPhase('Succeeded', 'Failed');
    expect(world.status).toMatchObject({ phase: 'Succeeded', trackedConfigs: { 'configmap/podinfo-config': 'aaaa' } });
  });

  it('after a failure, putting the target back to the primary spec starts nothing; re-applying the failed one does', () => {
    const world = rollout(canarySpec({ stepWeight: 50 }), { checks: failingMetricChecks(new Set([1])) });
    expect(world.status.phase).toBe('Failed');
    world.checks = allChecksPass;
    world.changeTarget('app:1.0.0'); // what the primary runs
    for (let i = 0; i < 5; i++) world.step();
    expect(world.status.phase).toBe('Failed');
    expect(world.status.lastAppliedSpec).toBe(world.targetHash);
    world.changeTarget('podinfo:6.0.1');
    world.runUntilPhase('Succeeded');
    expect(world.status.lastPromotedSpec).toBe(world.targetHash);
  });

  it('the same spec after Succeeded starts nothing', () => {
    const world = rollout(canarySpec({ stepWeight: 50 }));
    const runs = world.records.length;
    for (let i = 0; i < 5; i++) world.step();
    expect(world.records.slice(runs).every((record) => record.decision.actions.length === 0)).toBe(true);
  });
});

describe('promotion', () => {
  it('waits for the primary rollout before routing traffic to it', () => {
    const world = rollout(canarySpec({ stepWeight: 50 }), { primaryRolloutMs: 45_000 });
    const promoting = world.timeline().find((row) => row.phase === 'Promoting');
    const finalising = world.timeline().find((row) => row.phase === 'Finalising');
    expect((finalising?.at ?? 0) - (promoting?.at ?? 0)).toBe(45);
  });

  it('a primary that fails after promotion leaves the canary serving: Failed, weight 100 (Flagger 1.44)', () => {
    const world = rollout(canarySpec({ stepWeight: 50 }), { primaryBrokenAfterPromotion: true });
    expect(world.status).toMatchObject({ phase: 'Failed', canaryWeight: 100 });
    expect(world.routes).toEqual({ primaryWeight: 0, canaryWeight: 100, mirrored: false });
    expect(world.targetReplicas).toBe(1);
    expect(world.eventMessages()).toContain(
      'Promotion of podinfo.test failed, primary not ready: podinfo-primary.test progress deadline exceeded',
    );
  });

  it('skipAnalysis promotes as soon as the canary is ready, straight to Succeeded', () => {
    const world = rollout(canarySpec({ stepWeight: 10 }, { skipAnalysis: true }));
    expect(world.phasesAndWeights('Progressing')).toEqual(['Progressing 0', 'Succeeded 0']);
    expect(world.metricChecks()).toBe(0);
    expect(world.primaryRevision).toBe(world.targetHash);
    expect(world.eventMessages()).toContain('Promotion completed! Canary analysis was skipped for podinfo.test');
    expect(world.actions.filter((action) => action.type === 'recordRunOutcome')).toEqual([
      { type: 'recordRunOutcome', outcome: 'success', deploymentStrategy: 'canary', analysisStatus: 'skipped' },
    ]);
  });

  it('post-rollout hooks run with the final phase', () => {
    const world = rollout(canarySpec({ stepWeight: 50, webhooks: [hook('notify', 'post-rollout')] }));
    const hooks = world.actions.filter((action) => action.type === 'runPostRolloutHooks');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      calls: [{ payload: { name: 'podinfo', namespace: 'test', phase: 'Succeeded' } }],
    });
  });
});

describe('suspend and deletion', () => {
  it('suspend freezes a run (one event), resuming continues it', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 25, maxWeight: 50 }) }).initialize();
    world.changeTarget('podinfo:6.0.1');
    world.runUntil((w) => w.status.canaryWeight === 25);
    world.updateSpec((spec) => ({ ...spec, suspend: true }));
    const frozen = world.status;
    for (let i = 0; i < 10; i++) world.step();
    expect(world.status.canaryWeight).toBe(25);
    expect(world.status.phase).toBe(frozen.phase);
    expect(world.eventMessages().filter((m) => m === 'skipping canary run as object is suspended')).toHaveLength(1);
    world.updateSpec((spec) => ({ ...spec, suspend: false }));
    world.runUntilPhase('Succeeded', 'Failed');
    expect(world.phasesAndWeights('Progressing')).toEqual([
      'Progressing 0',
      'Progressing 25',
      'Progressing 50',
      'Promoting 50',
      'Finalising 0',
      'Succeeded 0',
    ]);
  });

  it('revertOnDeletion: Terminating, target scaled back up, routing restored, Terminated, finalizer removed', () => {
    const world = new SimulatedWorld({
      spec: canarySpec({ stepWeight: 50 }, { revertOnDeletion: true }),
      canaryStartupMs: 20_000,
    }).initialize();
    expect(world.finalizerPresent).toBe(true);
    world.requestDeletion();
    world.runUntil((w) => w.removed);
    expect(
      world
        .timeline()
        .map((row) => row.phase)
        .slice(-2),
    ).toEqual(['Terminating', 'Terminated']);
    expect(world.routingReverted).toBe(true);
    expect(world.targetReplicas).toBe(1);
    const messages = world.eventMessages();
    expect(messages.indexOf('Terminating canary podinfo.test')).toBeGreaterThan(0);
    expect(messages.at(-1)).toBe('Terminated canary podinfo.test');
  });

  it('without revertOnDeletion a left-over finalizer is removed', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 50 }, { revertOnDeletion: true }) }).initialize();
    world.updateSpec((spec) => ({ ...spec, revertOnDeletion: false }));
    world.step();
    expect(world.finalizerPresent).toBe(false);
  });
});

describe('traffic routing', () => {
  it('corrects drift to the intended weights instead of resetting them', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 20, maxWeight: 60 }) }).initialize();
    world.changeTarget('podinfo:6.0.1');
    world.runUntil((w) => w.status.canaryWeight === 40);
    world.routes = { primaryWeight: 100, canaryWeight: 0, mirrored: false }; // someone re-applied the VirtualService
    world.advance(1000);
    world.step();
    expect(world.routes).toEqual({ primaryWeight: 60, canaryWeight: 40, mirrored: false });
    expect(world.status.canaryWeight).toBe(40);
  });

  it('session affinity: one canary cookie per run, a new primary cookie per step, expired at the end', () => {
    const world = rollout(
      canarySpec({
        stepWeight: 25,
        maxWeight: 50,
        sessionAffinity: { cookieName: 'canary', primaryCookieName: 'primary' },
      }),
    );
    const cookies = world.actions.flatMap((action) =>
      action.type === 'setRoutes' && action.cookies ? [action.cookies] : [],
    );
    const live = cookies.filter((c) => c.canary);
    expect(new Set(live.map((c) => c.canary)).size).toBe(1);
    expect(new Set(live.map((c) => c.primary)).size).toBe(live.length);
    expect(world.status.sessionAffinityCookie).toBeUndefined();
    expect(world.status.previousSessionAffinityCookie).toBe(live[0]?.canary);
  });
});

describe('restarts', () => {
  it('a lost rollback write sends no traffic back to the scaled-down canary; the run rolls back again', () => {
    const world = new SimulatedWorld({
      spec: canarySpec({ stepWeight: 20, maxWeight: 60, threshold: 2 }),
      checks: failingMetricChecks(new Set([1, 2, 3])),
      canaryStartupMs: 15_000,
    }).initialize();
    world.changeTarget('podinfo:6.0.1');
    world.runUntil((w) => w.status.failedChecks === 1);
    world.loseNextStatusWrite = true;
    world.step(); // the second failed check rolls back: routes 100/0, target scaled to zero, but the status is lost
    expect(world.status).toMatchObject({ phase: 'Progressing', canaryWeight: 20 });
    expect(world.targetReplicas).toBe(0);
    world.step();
    expect(world.routes?.canaryWeight).toBe(0);
    expect(world.targetReplicas).toBe(1); // scaled back up so the run can be judged again
    world.runUntilPhase('Failed');
    expect(world.routeHistory.every((routes, i) => i === 0 || routes.canaryWeight <= 20)).toBe(true);
    expect(world.routes?.canaryWeight).toBe(0);
  });

  it('a lost promotion write is adopted: the primary already runs the revision, so the run goes on promoting', () => {
    const world = new SimulatedWorld({
      spec: canarySpec({ stepWeight: 50, maxWeight: 50 }),
      primaryRolloutMs: 30_000,
    }).initialize();
    world.changeTarget('podinfo:6.0.1');
    world.runUntil((w) => w.status.canaryWeight === 50);
    world.runUntil((w) => w.records.at(-1)?.decision.reason === 'Scheduled');
    world.loseNextStatusWrite = true;
    world.step(); // promote ran, status lost
    expect(world.primaryRevision).toBe(world.targetHash);
    expect(world.status.phase).toBe('Progressing');
    world.step();
    expect(world.status.phase).toBe('Promoting');
    world.runUntilPhase('Succeeded');
    expect(world.actions.filter((action) => action.type === 'promote')).toHaveLength(1);
  });

  it('a status write lost after acting repeats the same step, never a further one', () => {
    const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 20, maxWeight: 60 }) }).initialize();
    world.changeTarget('podinfo:6.0.1');
    world.runUntil((w) => w.status.canaryWeight === 20);
    world.runUntil((w) => w.records.at(-1)?.decision.reason === 'Scheduled');
    world.loseNextStatusWrite = true;
    world.step(); // the check at 20 passes and the routes go to 40, but the status write is lost
    expect(world.status.canaryWeight).toBe(20);
    expect(world.routes?.canaryWeight).toBe(40);
    const lost = world.records.at(-1)?.decision.status;
    world.step(); // re-decided from the old status at the same instant
    expect(world.status.canaryWeight).toBe(40);
    expect(world.status.nextCheckTime).toBe(lost?.nextCheckTime);
    expect(world.records.at(-1)?.decision.actions).toEqual([]);
  });
});
