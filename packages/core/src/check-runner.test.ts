import { describe, expect, it } from '@jest/globals';
import { runPlannedChecks } from './check-runner.ts';
import type { CheckResult, PlannedCheck } from './checks.ts';
import { decide } from './phase-machine.ts';
import { canarySpec, hook } from './test-support/canary-specs.ts';
import { allChecksPass, SimulatedWorld } from './test-support/simulated-world.ts';

/** A world paused at its first due analysis check (weight 50 reached, the next check is due). */
function dueCheck(webhooks: ReturnType<typeof hook>[]) {
  const world = new SimulatedWorld({
    spec: canarySpec({ stepWeight: 50, maxWeight: 100, webhooks }),
    // Rollback hooks stay silent until the test runs its own checks.
    checks: (check, call, w) =>
      check.kind === 'webhook' && check.hookType === 'rollback'
        ? { kind: 'webhook', id: check.id, ok: false }
        : allChecksPass(check, call, w),
  }).initialize();
  world.changeTarget('podinfo:6.0.1');
  world.runUntil((w) => w.status.canaryWeight === 50);
  world.advance(60_000);
  return world.observe();
}

describe('runPlannedChecks', () => {
  it('runs the batches in order: rollback hooks, rollout hooks, metrics, the gate', async () => {
    const observation = dueCheck([
      hook('load', 'rollout'),
      hook('abort', 'rollback'),
      hook('approve', 'confirm-traffic-increase'),
    ]);
    const ran: string[] = [];
    const results = await runPlannedChecks(observation, async (check: PlannedCheck): Promise<CheckResult> => {
      ran.push(check.kind === 'webhook' ? `${check.hookType}:${check.webhook.name}` : `metric:${check.metric.name}`);
      return check.kind === 'webhook'
        ? { kind: 'webhook', id: check.id, ok: check.hookType !== 'rollback' }
        : { kind: 'metric', id: check.id, provider: 'istio', outcome: { type: 'values', values: [99.9] } };
    });
    expect(ran).toEqual([
      'rollback:abort',
      'rollout:load',
      'metric:request-success-rate',
      'confirm-traffic-increase:approve',
    ]);
    expect(decide(observation, results).status.canaryWeight).toBe(100);
  });

  it('stops after the first failing hook: no metrics, no gate', async () => {
    const observation = dueCheck([hook('load', 'rollout'), hook('load2', 'rollout')]);
    const ran: string[] = [];
    const results = await runPlannedChecks(observation, async (check) => {
      ran.push(check.id);
      return { kind: 'webhook', id: check.id, ok: false, message: 'boom' };
    });
    expect(ran).toEqual(['webhooks[0]']);
    const decision = decide(observation, results);
    expect(decision.status.failedChecks).toBe(1);
    expect(decision.events).toContainEqual({
      type: 'Warning',
      reason: 'RolloutCheckFailed',
      message: 'Halt podinfo.test advancement external check load failed boom',
    });
  });

  it('stops the rollback batch at the first hook that answers ok', async () => {
    const observation = dueCheck([hook('a', 'rollback'), hook('b', 'rollback'), hook('c', 'rollback')]);
    const ran: string[] = [];
    const results = await runPlannedChecks(observation, async (check) => {
      ran.push(check.id);
      return { kind: 'webhook', id: check.id, ok: check.id === 'webhooks[1]' };
    });
    expect(ran).toEqual(['webhooks[0]', 'webhooks[1]']);
    expect(decide(observation, results).status.phase).toBe('Failed');
  });

  it('refuses a result for another check', async () => {
    const observation = dueCheck([]);
    await expect(
      runPlannedChecks(observation, async () => ({ kind: 'webhook', id: 'webhooks[9]', ok: true })),
    ).rejects.toThrow('result for webhooks[9] returned for check metrics[0]');
  });
});
