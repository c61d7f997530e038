// The executors' contract (packages/core/src/test-support/executor-contract.ts), kept by the controller's real
// executors on the real API server: the same suite the simulated world passes. The view executors read is a snapshot
// listed from the API server just before each step, standing in for informer caches that have caught up.
import { afterAll, beforeAll } from '@jest/globals';
import { configChecksum, type TargetPreconditions } from '@linnet/core';
import { describeExecutorContract } from '@linnet/core/test-support/executor-contract';
import { executeActions, type ExecutionContext } from '../src/executors/index.ts';
import {
  createKubeAccess,
  resourceTypes,
  type KubeAccess,
  type KubeObject,
  type ResourceType,
} from '../src/kube/index.ts';
import { ObjectStore } from '../src/informers/index.ts';
import { createSilentLogger } from '../src/observability/index.ts';
import { clusterTypes, type CanaryResource } from '../src/reconcile/cluster-types.ts';
import { ClusterView, ClusterWriter, type CacheStores } from '../src/reconcile/cluster-view.ts';
import { observeCanary, PRIMARY_REVISION_ANNOTATION, type ObservedCanary } from '../src/reconcile/observe-canary.ts';
import { RecentWrites } from '../src/reconcile/recent-writes.ts';
import { createWebhookClient } from '../src/webhooks/index.ts';

const namespace = `itest-contract-${process.pid}-${Date.now().toString(36)}`;
const OPTIONS = {
  selectorLabels: ['app'],
  includeLabelPrefixes: ['*'],
  meshProvider: 'istio',
  enableConfigTracking: true,
};
const SNAPSHOT_TYPES: readonly ResourceType[] = [
  clusterTypes.deployment,
  clusterTypes.configMap,
  clusterTypes.secret,
  clusterTypes.service,
];

let access: KubeAccess;

/** The namespace's objects as listed now: what caught-up informer caches would hold. */
class SnapshotStores implements CacheStores {
  private readonly stores = new Map<ResourceType, ObjectStore<KubeObject>>();

  async refresh(): Promise<void> {
    for (const type of SNAPSHOT_TYPES) {
      const store = new ObjectStore<KubeObject>();
      store.replaceAll((await access.list(type, { namespace })).items);
      this.stores.set(type, store);
    }
  }

  store<T extends KubeObject>(type: ResourceType<T>): ObjectStore<T> {
    return (this.stores.get(type) ?? new ObjectStore<KubeObject>()) as ObjectStore<T>;
  }
}

let run = 0;
let name = '';
let canary: CanaryResource;
/** What the decision was made from: the last observation (its trackedConfigs are what syncPrimaryConfigs copies). */
let decidedFrom: ObservedCanary;
const stores = new SnapshotStores();

beforeAll(async () => {
  access = createKubeAccess();
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
});

afterAll(async () => {
  await access?.delete(resourceTypes.namespace, { name: namespace });
});

async function observe(): Promise<ObservedCanary> {
  await stores.refresh();
  const view = new ClusterView(stores, new RecentWrites());
  const observed = observeCanary(canary, view, OPTIONS, new Date());
  if (observed.kind !== 'observed') throw new Error(`${name} blocked: ${observed.message}`);
  return observed;
}

function deployment(image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image, volumeMounts: [{ name: 'settings', mountPath: '/etc/settings' }] }],
          volumes: [{ name: 'settings', configMap: { name: `${name}-settings` } }],
        },
      },
    },
  } as KubeObject;
}

describeExecutorContract(
  'controller executors on the local cluster',
  {
    async setUp() {
      run += 1;
      name = `app${run}`;
      await access.apply(clusterTypes.configMap, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-settings`, namespace },
        data: { value: 'v1' },
      });
      await access.apply(clusterTypes.deployment, deployment('app:v1') as never);
      canary = await access.create(clusterTypes.canary, {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { name, namespace },
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          service: { port: 9898 },
          analysis: { interval: '10s', threshold: 1, stepWeight: 10 },
        },
      } as CanaryResource);
      decidedFrom = await observe();
      const { targetHash, configChecksums } = decidedFrom.observation;
      const preconditions = { targetRevision: targetHash, configChecksums };
      const outcome = await this.execute([{ type: 'ensurePrimary', revision: targetHash, preconditions }]);
      if (outcome.kind !== 'executed') throw new Error(`${name}: the primary was not created`);
    },
    async setImage(image) {
      await access.mergePatch(
        clusterTypes.deployment,
        { namespace, name },
        { spec: { template: { spec: { containers: [{ name: 'app', image: `app:${image}` }] } } } },
      );
    },
    async setConfig(value) {
      await access.mergePatch(clusterTypes.configMap, { namespace, name: `${name}-settings` }, { data: { value } });
    },
    async observeTarget(): Promise<TargetPreconditions> {
      decidedFrom = await observe();
      return {
        targetRevision: decidedFrom.observation.targetHash,
        configChecksums: decidedFrom.observation.configChecksums,
      };
    },
    async execute(actions) {
      await stores.refresh();
      const recentWrites = new RecentWrites();
      const ctx: ExecutionContext = {
        observed: decidedFrom,
        canary,
        view: new ClusterView(stores, recentWrites),
        writer: new ClusterWriter(access, recentWrites),
        webhookClient: createWebhookClient(),
        startPostRolloutHooks: () => undefined,
        options: OPTIONS,
        logger: createSilentLogger(),
      };
      const outcome = await executeActions(ctx, actions);
      return { kind: outcome.kind };
    },
    async primary() {
      const primary = await access.get(clusterTypes.deployment, { namespace, name: `${name}-primary` });
      const copy = await access.get(clusterTypes.configMap, { namespace, name: `${name}-settings-primary` });
      return {
        revision: primary?.metadata?.annotations?.[PRIMARY_REVISION_ANNOTATION],
        configChecksums: copy ? { [`configmap/${name}-settings`]: configChecksum(copy.data) } : {},
      };
    },
  },
  30_000,
);
