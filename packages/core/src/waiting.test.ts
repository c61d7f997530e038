// A workload whose controller has not yet observed Linnet's own change is waited for quietly, for one readiness poll.
import { describe, expect, it } from '@jest/globals';
import type { Observation } from './observation.ts';
import { decide } from './phase-machine.ts';
import { canarySpec } from './test-support/canary-specs.ts';
import { SimulatedWorld } from './test-support/simulated-world.ts';
import { parseTime } from './time-format.ts';

const UNOBSERVED = 'podinfo.test not ready: observed deployment generation less than desired generation';

/** Just after the new revision was detected and the canary scaled up. */
function scaledUp(): { world: SimulatedWorld; transitionMs: number } {
  const world = new SimulatedWorld({ spec: canarySpec({ stepWeight: 10, maxWeight: 50 }), canaryStartupMs: 20_000 });
  world.initialize();
  world.changeTarget('podinfo:6.0.1');
  world.runUntil((w) => w.status.phase === 'Progressing');
  return { world, transitionMs: parseTime(world.status.lastTransitionTime) ?? Number.NaN };
}

function unobservedAt(world: SimulatedWorld, nowMs: number): Observation {
  return {
    ...world.observe(),
    canaryReadiness: { state: 'waiting', message: UNOBSERVED, specUnobserved: true },
    now: new Date(nowMs),
  };
}

describe('a spec the workload controller has not observed yet', () => {
  it('right after the transition: no event, no status change, a look again within the readiness poll', () => {
    const { world, transitionMs } = scaledUp();
    const decision = decide(unobservedAt(world, transitionMs + 1_000), [], world.timings);
    expect(decision.events).toEqual([]);
    expect(decision.status).toEqual(world.status);
    expect(decision.requeueAfterMs).toBeLessThanOrEqual(world.timings.readinessPollMs - 1_000);
  });

  it('still unobserved after a readiness poll: reported as any other wait', () => {
    const { world, transitionMs } = scaledUp();
    const decision = decide(unobservedAt(world, transitionMs + world.timings.readinessPollMs), [], world.timings);
    expect(decision.events).toEqual([{ type: 'Normal', reason: 'CanaryNotReady', message: UNOBSERVED }]);
    expect(decision.status.lastDecision).toMatchObject({ reason: 'CanaryNotReady', message: UNOBSERVED });
  });

  it('any other wait is reported at once', () => {
    const { world, transitionMs } = scaledUp();
    const observation: Observation = {
      ...unobservedAt(world, transitionMs + 1_000),
      canaryReadiness: { state: 'waiting', message: 'podinfo.test not ready: waiting for rollout to finish' },
    };
    expect(decide(observation, [], world.timings).events).toEqual([
      { type: 'Normal', reason: 'CanaryNotReady', message: 'podinfo.test not ready: waiting for rollout to finish' },
    ]);
  });
});
