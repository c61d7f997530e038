// The contract the controller relies on: what plan() asks for, what decide() returns when nothing or something
// changes, and the payloads it builds.
import { describe, expect, it } from '@jest/globals';
import { withCanaryDefaults } from '@linnet/api';
import type { Observation } from './observation.ts';
import { decide, plan } from './phase-machine.ts';
import { canarySpec, hook } from './test-support/canary-specs.ts';
import { SimulatedWorld } from './test-support/simulated-world.ts';
import { eventWebhookPayload } from './webhook-calls.ts';

function freshObservation(overrides: Partial<Observation> = {}): Observation {
  return {
    canary: { name: 'podinfo', namespace: 'test', generation: 3 },
    spec: withCanaryDefaults(canarySpec({ stepWeight: 10 })),
    status: {},
    provider: 'istio',
    targetHash: 'aaaa',
    configChecksums: {},
    targetReplicas: 1,
    primaryReadiness: { state: 'ready' },
    canaryReadiness: { state: 'ready' },
    routes: undefined,
    now: new Date('2024-01-11T09:00:00Z'),
    deletion: { requested: false, finalizerPresent: false },
    freshCookieValues: { canary: 'abcdefghij', primary: 'klmnopqrst' },
    ...overrides,
  };
}

describe('decide', () => {
  it('initializes a new Canary in one decision once the primary is ready', () => {
    const decision = decide(freshObservation());
    expect(decision.status).toMatchObject({
      phase: 'Initialized',
      canaryWeight: 0,
      failedChecks: 0,
      iterations: 0,
      lastAppliedSpec: 'aaaa',
      lastPromotedSpec: 'aaaa',
      trackedConfigs: {},
      observedGeneration: 3,
      lastTransitionTime: '2024-01-11T09:00:00Z',
      conditions: [
        {
          type: 'Promoted',
          status: 'True',
          reason: 'Initialized',
          message: 'Deployment initialization completed.',
          lastUpdateTime: '2024-01-11T09:00:00Z',
          lastTransitionTime: '2024-01-11T09:00:00Z',
        },
      ],
    });
    expect(decision.actions.map((action) => action.type)).toEqual([
      'ensurePrimary',
      'setRoutes',
      'pauseTargetScaler',
      'scaleTargetToZero',
    ]);
    expect(decision.alerts).toEqual([
      {
        severity: 'info',
        message: 'New Deployment detected, initialization completed.',
        fields: [
          { title: 'Target', value: 'Deployment/podinfo.test' },
          { title: 'Failed checks threshold', value: '1' },
          { title: 'Progress deadline', value: '600s' },
          { title: 'Traffic routing', value: 'Weight step: 10 max: 100' },
        ],
      },
    ]);
  });

  it('keeps waiting, without scaling the target down, while the primary cannot start', () => {
    const decision = decide(
      freshObservation({ primaryReadiness: { state: 'failed', message: 'podinfo-primary.test deadline exceeded' } }),
    );
    expect(decision.status.phase).toBe('Initializing');
    expect(decision.actions.map((action) => action.type)).toEqual(['ensurePrimary']);
    expect(decision.events).toEqual([
      { type: 'Warning', reason: 'PrimaryFailed', message: 'podinfo-primary.test deadline exceeded' },
    ]);
  });

  it('returns the observed status unchanged, and no actions, when nothing is due', () => {
    const initialized = decide(freshObservation()).status;
    const again = decide(
      freshObservation({ status: initialized, routes: { primaryWeight: 100, canaryWeight: 0, mirrored: false } }),
    );
    expect(again.status).toEqual(initialized);
    expect(again.actions).toEqual([]);
    expect(again.events).toEqual([]);
    expect(again.requeueAfterMs).toBe(300_000);
  });

  it('asks to be called again at once when plan() results are missing', () => {
    const world = new SimulatedWorld({
      spec: canarySpec({ stepWeight: 10, webhooks: [hook('gate', 'confirm-rollout')] }),
    });
    world.initialize();
    world.changeTarget('podinfo:6.0.1');
    const observation = world.observe();
    expect(plan(observation)).toMatchObject({ purpose: 'confirm-rollout', runUntil: 'first-failure' });
    const decision = decide(observation, []);
    expect(decision).toMatchObject({ reason: 'ChecksPending', requeueAfterMs: 0, actions: [] });
    expect(decision.status).toEqual(observation.status);
  });

  it('sends the revision under approval in the confirm-rollout payload', () => {
    const world = new SimulatedWorld({
      spec: canarySpec({ stepWeight: 10, webhooks: [hook('gate', 'confirm-rollout', { metadata: { team: 'a' } })] }),
    });
    world.initialize();
    const before = plan({ ...world.observe(), targetHash: 'other' });
    world.changeTarget('podinfo:6.0.1');
    const batch = plan(world.observe());
    const call = batch?.checks[0];
    expect(call).toMatchObject({
      kind: 'webhook',
      id: 'webhooks[0]',
      hookType: 'confirm-rollout',
      payload: { name: 'podinfo', namespace: 'test', phase: 'Initialized', metadata: { team: 'a' } },
    });
    const otherCall = before?.checks[0];
    expect(call?.kind === 'webhook' && otherCall?.kind === 'webhook' && call.payload.checksum).not.toBe(
      otherCall?.kind === 'webhook' && otherCall.payload.checksum,
    );
  });

  it('suspends without touching traffic', () => {
    const status = decide(freshObservation()).status;
    const decision = decide(
      freshObservation({
        spec: withCanaryDefaults({ ...canarySpec({ stepWeight: 10 }), suspend: true }),
        status,
        routes: { primaryWeight: 0, canaryWeight: 100, mirrored: false },
      }),
    );
    expect(decision.actions).toEqual([]);
    expect(decision.events).toEqual([
      { type: 'Normal', reason: 'Suspended', message: 'skipping canary run as object is suspended' },
    ]);
  });
});

describe('eventWebhookPayload', () => {
  it('carries the event in metadata, which hook metadata cannot override', () => {
    expect(
      eventWebhookPayload(
        { name: 'podinfo', namespace: 'test' },
        'Progressing',
        'sum',
        { type: 'Warning', message: 'Halt podinfo.test advancement' },
        1704963600000,
        { eventType: 'mine', channel: 'ops' },
      ),
    ).toEqual({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: 'sum',
      metadata: {
        channel: 'ops',
        eventMessage: 'Halt podinfo.test advancement',
        eventType: 'Warning',
        timestamp: '1704963600000',
      },
    });
  });
});
