import { describe, expect, it } from '@jest/globals';
import type { DaemonSetResource, DeploymentResource } from './cluster-types.ts';
import { daemonSetReadiness, deploymentReadiness } from './workload-readiness.ts';

const now = new Date('2026-01-01T12:00:00Z');
const policy = { readyThresholdPercent: 100, progressDeadlineSeconds: 60, now };

function deployment(
  status: NonNullable<DeploymentResource['status']>,
  replicas = 2,
  generation = 1,
): DeploymentResource {
  return {
    metadata: { name: 'podinfo', namespace: 'test', generation },
    spec: { replicas, selector: {}, template: {} },
    status: { observedGeneration: 1, ...status },
  } as DeploymentResource;
}

describe('deploymentReadiness (reference §3.3)', () => {
  it('is ready when every desired replica is updated and available', () => {
    expect(deploymentReadiness(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), policy)).toEqual({
      state: 'ready',
    });
  });

  it('waits while the generation is not observed', () => {
    expect(deploymentReadiness(deployment({ updatedReplicas: 2, availableReplicas: 2 }, 2, 2), policy)).toEqual({
      state: 'waiting',
      message: 'podinfo.test not ready: observed deployment generation less than desired generation',
      specUnobserved: true,
    });
  });

  it('waits for updated replicas, then for old ones to terminate, then for availability', () => {
    expect(deploymentReadiness(deployment({ replicas: 2, updatedReplicas: 1 }), policy).state).toBe('waiting');
    expect(
      deploymentReadiness(deployment({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), policy),
    ).toMatchObject({
      message: expect.stringContaining('1 old replicas are pending termination'),
    });
    expect(
      deploymentReadiness(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), policy),
    ).toMatchObject({
      message: expect.stringContaining('1 of 2 updated replicas are available'),
    });
  });

  it('accepts fewer available replicas down to the ready threshold', () => {
    const half = { ...policy, readyThresholdPercent: 50 };
    expect(deploymentReadiness(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), half).state).toBe(
      'ready',
    );
  });

  it('fails when the Deployment exceeded its own progress deadline', () => {
    const stuck = deployment({
      replicas: 2,
      updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(deploymentReadiness(stuck, policy).state).toBe('failed');
  });

  it("fails when replicas stay unavailable longer than the Canary's progressDeadlineSeconds", () => {
    const unavailable = (since: string) =>
      deployment({
        replicas: 2,
        updatedReplicas: 2,
        availableReplicas: 0,
        conditions: [
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            lastUpdateTime: since as unknown as Date,
          },
        ],
      });
    expect(deploymentReadiness(unavailable('2026-01-01T11:58:00Z'), policy).state).toBe('failed');
    expect(deploymentReadiness(unavailable('2026-01-01T11:59:30Z'), policy).state).toBe('waiting');
  });

  it('waits for a missing or scaled-down Deployment', () => {
    expect(deploymentReadiness(undefined, policy).state).toBe('waiting');
    expect(deploymentReadiness(deployment({}, 0), policy)).toMatchObject({
      message: expect.stringContaining('scaled to zero'),
    });
  });
});

describe('daemonSetReadiness', () => {
  const daemonSet = (status: NonNullable<DaemonSetResource['status']>): DaemonSetResource =>
    ({
      metadata: { name: 'agent', namespace: 'test', generation: 1 },
      status: { observedGeneration: 1, ...status },
    }) as DaemonSetResource;

  it('is ready when every scheduled pod is updated and available', () => {
    const ready = daemonSet({
      desiredNumberScheduled: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 3,
    });
    expect(daemonSetReadiness(ready, { ...policy, lastTransitionTime: undefined })).toEqual({ state: 'ready' });
  });

  it('fails after the deadline counted from the last status transition', () => {
    const rolling = daemonSet({
      desiredNumberScheduled: 3,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 1,
    });
    expect(daemonSetReadiness(rolling, { ...policy, lastTransitionTime: '2026-01-01T11:00:00Z' }).state).toBe('failed');
    expect(daemonSetReadiness(rolling, { ...policy, lastTransitionTime: '2026-01-01T11:59:59Z' }).state).toBe(
      'waiting',
    );
  });
});
