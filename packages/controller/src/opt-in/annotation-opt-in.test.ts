import { afterEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_OPT_IN_POLICY } from '@linnet/api';
import { createSilentLogger } from '../observability/logger.ts';
import type { EventToRecord } from '../kube/event-recorder.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import {
  startAnnotationOptIn,
  type AnnotationOptIn,
  type AnnotationOptInDeps,
  type WatchedObjects,
} from './annotation-opt-in.ts';
import type { GeneratedCanary, WorkloadObject } from './desired-opt-in-canary.ts';
import type { ExistingCanary } from './plan-opt-in-change.ts';
import type { PrivateTestLoaderRequest } from './private-test-loader-objects.ts';

// The opt-in loop over an in-memory cluster that records every write in order; tests wait for the next write
// instead of sleeping.

type Effect =
  | { type: 'apply'; canary: GeneratedCanary }
  | { type: 'delete'; name: string }
  | { type: 'event'; regarding: string; event: EventToRecord }
  | { type: 'loader'; request: PrivateTestLoaderRequest };

class WatchedMap<T extends KubeObject> implements WatchedObjects<T> {
  private readonly objects = new Map<string, T>();
  private readonly listeners = new Set<(object: T) => void>();

  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  subscribe(onChange: (object: T) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  put(object: T): void {
    this.objects.set(`${object.metadata?.namespace}/${object.metadata?.name}`, object);
    this.notify(object);
  }

  remove(namespace: string, name: string): void {
    const object = this.get(namespace, name);
    this.objects.delete(`${namespace}/${name}`);
    if (object) this.notify(object);
  }

  notify(object: T): void {
    for (const listener of this.listeners) listener(object);
  }
}

class InMemoryCluster {
  readonly deployments = new WatchedMap<WorkloadObject>();
  readonly canaryObjects = new WatchedMap<ExistingCanary>();
  private readonly effects: Effect[] = [];
  private waiter: (() => void) | undefined;

  deps(): AnnotationOptInDeps {
    return {
      deployments: this.deployments,
      canaries: {
        get: (namespace, name) => this.canaryObjects.get(namespace, name),
        subscribe: (onChange) => this.canaryObjects.subscribe(onChange),
        apply: async (canary) => {
          this.record({ type: 'apply', canary });
          const stored = { ...canary, metadata: { ...canary.metadata, uid: `uid-${canary.metadata.name}` } };
          this.canaryObjects.put(stored);
          return stored;
        },
        delete: async ({ namespace, name }) => {
          this.record({ type: 'delete', name });
          this.canaryObjects.remove(namespace, name);
        },
      },
      events: {
        record: async (regarding, event) =>
          this.record({ type: 'event', regarding: regarding.metadata?.name ?? '', event }),
      },
      testLoaders: {
        image: 'testloader:test',
        writer: {
          ensure: async (request) => {
            this.record({ type: 'loader', request });
            // What the API server would then hold: the loader's Deployment, owned by the Canary.
            this.deployments.put({
              metadata: {
                name: request.loader.name,
                namespace: request.loader.namespace,
                labels: { 'linnet.dev/test-loader-for': request.workload },
                ownerReferences: [
                  { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'backend', uid: request.canary.uid },
                ],
              },
            });
          },
        },
      },
      logger: createSilentLogger(),
    };
  }

  /** The next write, waiting for it if none is pending. */
  async nextEffect(): Promise<Effect> {
    while (this.effects.length === 0) await new Promise<void>((resolve) => (this.waiter = resolve));
    return this.effects.shift() as Effect;
  }

  private record(effect: Effect): void {
    this.effects.push(effect);
    this.waiter?.();
  }
}

function backend(annotations: Record<string, string>): WorkloadObject {
  return {
    metadata: { name: 'backend', namespace: 'webapp', uid: 'uid-backend', annotations },
    spec: { template: { spec: { containers: [{ ports: [{ containerPort: 9898 }] }] } } },
  };
}

let optIn: AnnotationOptIn | undefined;
afterEach(async () => {
  await optIn?.stop();
  optIn = undefined;
});

describe('startAnnotationOptIn', () => {
  it('creates, updates and deletes the generated Canary, and warns about malformed annotations once', async () => {
    const cluster = new InMemoryCluster();
    cluster.deployments.put(backend({ 'linnet.dev/canary': 'enabled' }));
    optIn = startAnnotationOptIn(cluster.deps());
    // Existing workloads are picked up through the subscription (informers replay their cache to new handlers).
    cluster.deployments.notify(backend({ 'linnet.dev/canary': 'enabled' }));

    const created = await cluster.nextEffect();
    expect(created.type === 'apply' && created.canary.spec.analysis?.stepWeight).toBe(10);
    expect(await cluster.nextEffect()).toMatchObject({
      type: 'event',
      regarding: 'backend',
      event: { type: 'Normal', reason: 'CanaryCreated' },
    });

    const malformed = backend({ 'linnet.dev/canary': 'enabled', 'linnet.dev/step-weight': 'ten' });
    cluster.deployments.put(malformed);
    expect(await cluster.nextEffect()).toEqual({
      type: 'event',
      regarding: 'backend',
      event: {
        type: 'Warning',
        reason: 'InvalidAnnotation',
        action: 'OptIn',
        message: 'linnet.dev/step-weight: must be an integer between 1 and 100 (got "ten")',
      },
    });
    // A resync of the unchanged workload repeats nothing; the fix that follows is the next write.
    cluster.deployments.notify(malformed);
    cluster.deployments.put(backend({ 'linnet.dev/canary': 'enabled', 'linnet.dev/step-weight': '20' }));
    const updated = await cluster.nextEffect();
    expect(updated.type === 'apply' && updated.canary.spec.analysis?.stepWeight).toBe(20);
    expect(await cluster.nextEffect()).toMatchObject({ event: { reason: 'CanaryUpdated' } });

    cluster.deployments.put(backend({}));
    expect(await cluster.nextEffect()).toEqual({ type: 'delete', name: 'backend' });
    expect(await cluster.nextEffect()).toMatchObject({ event: { type: 'Normal', reason: 'CanaryDeleted' } });
  });

  it("refuses settings outside the operator's policy with an InvalidAnnotation event naming it", async () => {
    const cluster = new InMemoryCluster();
    optIn = startAnnotationOptIn({
      ...cluster.deps(),
      policy: { ...DEFAULT_OPT_IN_POLICY, allowedGateways: ['istio-system/internal'] },
    });
    cluster.deployments.put(
      backend({ 'linnet.dev/canary': 'enabled', 'linnet.dev/gateways': 'istio-system/public-gateway' }),
    );
    expect(await cluster.nextEffect()).toEqual({
      type: 'event',
      regarding: 'backend',
      event: {
        type: 'Warning',
        reason: 'InvalidAnnotation',
        action: 'OptIn',
        message:
          'linnet.dev/gateways: gateway "istio-system/public-gateway" is not allowed by the operator\'s opt-in policy ' +
          '(-opt-in-allowed-gateways: istio-system/internal)',
      },
    });
    cluster.deployments.put(
      backend({ 'linnet.dev/canary': 'enabled', 'linnet.dev/gateways': 'istio-system/internal' }),
    );
    expect(await cluster.nextEffect()).toMatchObject({
      type: 'apply',
      canary: { spec: { service: { gateways: ['istio-system/internal'] } } },
    });
  });

  it('puts back a generated Canary deleted by hand', async () => {
    const cluster = new InMemoryCluster();
    optIn = startAnnotationOptIn(cluster.deps());
    cluster.deployments.put(backend({ 'linnet.dev/canary': 'enabled' }));
    expect(await cluster.nextEffect()).toMatchObject({ type: 'apply' });
    expect(await cluster.nextEffect()).toMatchObject({ type: 'event' });

    cluster.canaryObjects.remove('webapp', 'backend');
    expect(await cluster.nextEffect()).toMatchObject({ type: 'apply', canary: { metadata: { name: 'backend' } } });
  });

  it('creates the private test loader a load test needs, owned by the Canary, and puts it back when deleted', async () => {
    const cluster = new InMemoryCluster();
    optIn = startAnnotationOptIn(cluster.deps());
    const loadTest = {
      'linnet.dev/canary': 'enabled',
      'linnet.dev/load-test': 'hey -z 1m http://backend-canary:9898/',
    };
    cluster.deployments.put(backend(loadTest));
    expect(await cluster.nextEffect()).toMatchObject({ type: 'apply' });
    expect(await cluster.nextEffect()).toMatchObject({ type: 'event', event: { reason: 'CanaryCreated' } });
    expect(await cluster.nextEffect()).toEqual({
      type: 'loader',
      request: {
        loader: { name: 'backend-testloader', namespace: 'webapp', url: 'http://backend-testloader.webapp:8080/' },
        workload: 'backend',
        canary: { name: 'backend', uid: 'uid-backend' },
        image: 'testloader:test',
      },
    });

    // Resyncs of an unchanged workload leave the loader alone; a hand deletion brings it back.
    cluster.deployments.notify(backend(loadTest));
    cluster.deployments.remove('webapp', 'backend-testloader');
    expect(await cluster.nextEffect()).toMatchObject({
      type: 'loader',
      request: { loader: { name: 'backend-testloader' } },
    });
  });

  it('creates no test loader when the annotations name their own load-tester-url', async () => {
    const cluster = new InMemoryCluster();
    optIn = startAnnotationOptIn(cluster.deps());
    cluster.deployments.put(
      backend({
        'linnet.dev/canary': 'enabled',
        'linnet.dev/load-test': 'hey -z 1m http://backend-canary:9898/',
        'linnet.dev/load-tester-url': 'http://shared-loader.webapp:8080/',
      }),
    );
    expect(await cluster.nextEffect()).toMatchObject({ type: 'apply' });
    expect(await cluster.nextEffect()).toMatchObject({ type: 'event', event: { reason: 'CanaryCreated' } });
    // The next write is the opt-out's: no loader came in between.
    cluster.deployments.put(backend({}));
    expect(await cluster.nextEffect()).toEqual({ type: 'delete', name: 'backend' });
  });

  it('creates the test loader a rollout policy with testLoader: true asks for', async () => {
    const cluster = new InMemoryCluster();
    optIn = startAnnotationOptIn(cluster.deps());
    cluster.deployments.put(
      backend({
        'linnet.dev/canary': 'enabled',
        'linnet.dev/rollout-policy': JSON.stringify({
          testLoader: true,
          trafficAnalysis: { webhooks: { command: ['hey -z 1m http://backend-canary.webapp:9898/'] } },
        }),
      }),
    );
    expect(await cluster.nextEffect()).toMatchObject({ type: 'apply' });
    expect(await cluster.nextEffect()).toMatchObject({ type: 'event', event: { reason: 'CanaryCreated' } });
    expect(await cluster.nextEffect()).toMatchObject({
      type: 'loader',
      request: { loader: { name: 'backend-testloader', namespace: 'webapp' }, canary: { uid: 'uid-backend' } },
    });
  });

  it('leaves a hand-written Canary of that name alone and creates no test loader for it', async () => {
    const cluster = new InMemoryCluster();
    cluster.canaryObjects.put({
      metadata: { name: 'backend', namespace: 'webapp', uid: 'uid-hand-written' },
      spec: {},
    });
    optIn = startAnnotationOptIn(cluster.deps());
    cluster.deployments.put(
      backend({ 'linnet.dev/canary': 'enabled', 'linnet.dev/load-test': 'hey -z 1m http://backend-canary:9898/' }),
    );
    expect(await cluster.nextEffect()).toMatchObject({ type: 'event', event: { reason: 'CanaryNameTaken' } });
    // The next write is the warning about the next change: no loader came in between.
    cluster.deployments.put(backend({ 'linnet.dev/canary': 'enabled', 'linnet.dev/step-weight': 'ten' }));
    expect(await cluster.nextEffect()).toMatchObject({ type: 'event', event: { reason: 'InvalidAnnotation' } });
  });
});
