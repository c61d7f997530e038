import { describe, expect, it } from '@jest/globals';
import { DEFAULT_TIMINGS } from '@linnet/core';
import { ControllerMetrics, createSilentLogger } from '../observability/index.ts';
import type { WebhookClient, WebhookResult } from '../webhooks/index.ts';
import { CanaryEventPublisher } from './canary-events.ts';
import { CanaryIndex } from './canary-index.ts';
import { CanaryReconciler } from './canary-reconciler.ts';
import { RECONCILED_CONDITION } from './canary-status.ts';
import { CanaryCheckRuns } from './canary-check-runs.ts';
import { MetricsProviderPool } from './check-runner.ts';
import { clusterTypes, type CanaryResource, type DeploymentResource } from './cluster-types.ts';
import { ClusterView, ClusterWriter } from './cluster-view.ts';
import { PRIMARY_REVISION_ANNOTATION } from './observe-canary.ts';
import { RecentWrites } from './recent-writes.ts';
import { FakeCluster, RecordedEvents } from './testing/fake-cluster.ts';

const NAMESPACE = 'test';
const noWebhooks: WebhookClient = {
  call: async () => {
    throw new Error('no webhook expected');
  },
  sendEvent: async () => {
    throw new Error('no event webhook expected');
  },
};

function world(webhookClient: WebhookClient = noWebhooks) {
  const cluster = new FakeCluster();
  const enqueued: string[] = [];
  const recorder = new RecordedEvents();
  const access = cluster.access();
  const recentWrites = new RecentWrites();
  const metrics = new ControllerMetrics({ version: 'test', meshProvider: 'istio' });
  const reconciler = new CanaryReconciler({
    access,
    view: new ClusterView(cluster, recentWrites),
    writer: new ClusterWriter(access, recentWrites),
    events: new CanaryEventPublisher({ recorder, webhookClient: noWebhooks, globalEventWebhook: '' }),
    webhookClient,
    metricsProviders: new MetricsProviderPool(),
    checkRuns: new CanaryCheckRuns({ enqueue: (key) => enqueued.push(key) }),
    metrics,
    index: new CanaryIndex(),
    options: {
      selectorLabels: ['app'],
      includeLabelPrefixes: [],
      meshProvider: 'istio',
      enableConfigTracking: true,
      metricsServer: 'http://127.0.0.1:1',
      timings: DEFAULT_TIMINGS,
    },
    logger: createSilentLogger(),
    now: () => new Date('2026-01-01T12:00:00Z'),
  });
  return { cluster, recorder, reconciler, metrics, enqueued };
}

function canary(spec: Partial<CanaryResource['spec']> = {}): CanaryResource {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: NAMESPACE },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, maxWeight: 50, stepWeight: 10 },
      ...spec,
    },
  };
}

function deployment(name: string, app: string, replicas = 2): DeploymentResource {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: 'podinfo:1' }] } },
    },
    status: { observedGeneration: 1, replicas, updatedReplicas: replicas, availableReplicas: replicas },
  };
}

/** What the Deployment controller would report once the primary has rolled out. */
function markPrimaryReady(cluster: FakeCluster): void {
  const primary = cluster.get(clusterTypes.deployment, NAMESPACE, 'podinfo-primary');
  if (!primary) throw new Error('no primary');
  const replicas = primary.spec?.replicas ?? 1;
  cluster.put(clusterTypes.deployment, {
    ...primary,
    status: {
      observedGeneration: primary.metadata?.generation,
      replicas,
      updatedReplicas: replicas,
      availableReplicas: replicas,
    },
  });
}

describe('CanaryReconciler', () => {
  it('initializes a Canary: creates the primary, then routes all traffic to it and scales the target down', async () => {
    const { cluster, recorder, reconciler } = world();
    cluster.put(clusterTypes.canary, canary());
    cluster.put(clusterTypes.deployment, deployment('podinfo', 'podinfo'));

    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    const primary = cluster.get(clusterTypes.deployment, NAMESPACE, 'podinfo-primary');
    expect(primary?.spec?.selector.matchLabels).toEqual({ app: 'podinfo-primary' });
    expect(primary?.metadata?.annotations?.[PRIMARY_REVISION_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    expect(cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status?.phase).toBe('Initializing');

    markPrimaryReady(cluster);
    const result = await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    const status = cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status;
    expect(status).toMatchObject({ phase: 'Initialized', canaryWeight: 0 });
    expect(cluster.get(clusterTypes.deployment, NAMESPACE, 'podinfo')?.spec?.replicas).toBe(0);
    const virtualService = cluster.get(clusterTypes.virtualService, NAMESPACE, 'podinfo');
    expect(virtualService?.spec.http?.[0]?.route).toEqual([
      { destination: { host: 'podinfo-primary' }, weight: 100 },
      { destination: { host: 'podinfo-canary' }, weight: 0 },
    ]);
    for (const name of ['podinfo', 'podinfo-primary', 'podinfo-canary']) {
      expect(cluster.get(clusterTypes.service, NAMESPACE, name)).toBeDefined();
    }
    expect(recorder.events).toContainEqual(
      expect.objectContaining({
        type: 'Normal',
        reason: 'Initialized',
        message: `Initialization done! podinfo.${NAMESPACE}`,
      }),
    );
    expect(result.requeueAfterMs).toBeGreaterThan(0);
  });

  it('re-applies nothing on an idle reconcile', async () => {
    const { cluster, reconciler } = world();
    cluster.put(clusterTypes.canary, canary());
    cluster.put(clusterTypes.deployment, deployment('podinfo', 'podinfo'));
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    markPrimaryReady(cluster);
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    cluster.writes.length = 0;
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    expect(cluster.writes).toEqual([]);
  });

  it('decides again from a fresh read when the status write conflicts', async () => {
    const { cluster, reconciler } = world();
    cluster.put(clusterTypes.canary, canary());
    cluster.put(clusterTypes.deployment, deployment('podinfo', 'podinfo'));
    cluster.conflictsToInject = 1;
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    expect(cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status?.phase).toBe('Initializing');
    expect(cluster.writes.filter((write) => write.startsWith('status'))).toHaveLength(1);
  });

  it('reports an invalid spec once, as a condition and a Warning event naming the field', async () => {
    const { cluster, recorder, reconciler } = world();
    cluster.put(clusterTypes.canary, canary({ analysis: { interval: '1m', stepWeight: -5 } }));
    cluster.put(clusterTypes.deployment, deployment('podinfo', 'podinfo'));
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);

    const status = cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status;
    const condition = status?.conditions?.find((candidate) => candidate.type === RECONCILED_CONDITION);
    expect(condition).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(condition?.message).toContain('spec.analysis.stepWeight');
    const warnings = recorder.events.filter((event) => event.reason === 'InvalidSpec');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 'Warning' });
    expect(cluster.get(clusterTypes.deployment, NAMESPACE, 'podinfo-primary')).toBeUndefined();
  });

  it('reports a missing target and forgets a deleted Canary', async () => {
    const { cluster, reconciler } = world();
    cluster.put(clusterTypes.canary, canary());
    await reconciler.reconcile(`${NAMESPACE}/podinfo`);
    expect(cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status?.lastDecision?.reason).toBe('TargetNotFound');
    expect(await reconciler.reconcile(`${NAMESPACE}/gone`)).toEqual({});
  });
  it('never awaits a check: a hanging gate leaves the reconcile at once, its answer enqueues the Canary', async () => {
    const answers: Array<(result: WebhookResult) => void> = [];
    const signals: Array<AbortSignal | undefined> = [];
    const gate: WebhookClient = {
      ...noWebhooks,
      call: (request) =>
        new Promise((resolve) => {
          signals.push(request.signal);
          answers.push(resolve);
        }),
    };
    const { cluster, reconciler, enqueued } = world(gate);
    const key = `${NAMESPACE}/podinfo`;
    const webhooks = [{ name: 'approve', type: 'confirm-rollout' as const, url: 'http://gate/approve' }];
    cluster.put(clusterTypes.canary, canary({ analysis: { interval: '1m', maxWeight: 50, stepWeight: 10, webhooks } }));
    cluster.put(clusterTypes.deployment, deployment('podinfo', 'podinfo'));
    await reconciler.reconcile(key);
    markPrimaryReady(cluster);
    await reconciler.reconcile(key);
    const target = deployment('podinfo', 'podinfo');
    target.spec!.template.spec!.containers[0]!.image = 'podinfo:2';
    cluster.put(clusterTypes.deployment, { ...target, spec: { ...target.spec!, replicas: 0 } });
    const before = cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status;

    // The gate is asked and hangs; the reconcile returns without deciding, and a second one joins the same call.
    const first = await reconciler.reconcile(key);
    await reconciler.reconcile(key);
    expect(answers).toHaveLength(1);
    expect(first.requeueAfterMs).toBe(60_000);
    expect(cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status).toEqual(before);

    answers[0]?.({
      webhook: 'approve',
      type: 'confirm-rollout',
      url: 'http://gate/approve',
      succeeded: true,
      reason: 'WebhookSucceeded',
      attempts: 1,
      message: 'ok',
      muteAlert: false,
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(enqueued).toEqual([key]);
    await reconciler.reconcile(key);
    expect(cluster.get(clusterTypes.canary, NAMESPACE, 'podinfo')?.status?.phase).toBe('Progressing');
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });
});
