import { AppsV1Api, CoreV1Api, CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import {
  makeSnapshot,
  toDeploymentView,
  toServiceView,
  toVirtualServiceView,
  type ClusterSnapshot,
  type DeploymentView,
  type ServiceView,
  type VirtualServiceView,
} from './cluster-snapshot.ts';
import { KubeResourceCache, type CacheMode, type ResourceEndpoint, type WatchFunction } from './kube-resource-cache.ts';

/**
 * Keeps the cluster view the simulator needs — all Services, Deployments and Istio VirtualServices — current through
 * three watch-backed caches, and hands out one immutable snapshot per change.
 */

const ISTIO_GROUP = 'networking.istio.io';
/** v1 is the storage version in current Istio CRDs; v1beta1 (what Flagger writes) is read only if v1 is not served. */
const VIRTUAL_SERVICE_VERSIONS = ['v1', 'v1beta1'];

export interface CacheStatus {
  readonly name: string;
  readonly mode: CacheMode;
  readonly synced: boolean;
  readonly objects: number;
}

export interface ClusterSourceOptions {
  readonly pollIntervalMs: number;
  readonly log: (message: string) => void;
}

export class KubeClusterSource {
  private readonly services: KubeResourceCache<ServiceView>;
  private readonly deployments: KubeResourceCache<DeploymentView>;
  private readonly virtualServices: KubeResourceCache<VirtualServiceView>;
  private cached: { key: string; snapshot: ClusterSnapshot } | undefined;

  constructor(kubeConfig: KubeConfig, options: ClusterSourceOptions) {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const watcher = new Watch(kubeConfig);
    const watch: WatchFunction = (path, query, onEvent, onDone) => watcher.watch(path, query, onEvent, onDone);
    const common = { watch, pollIntervalMs: options.pollIntervalMs, log: options.log };

    const serviceEndpoint: ResourceEndpoint = {
      description: 'v1 services',
      watchPath: '/api/v1/services',
      list: async () => {
        const list = await core.listServiceForAllNamespaces();
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
      },
    };
    const deploymentEndpoint: ResourceEndpoint = {
      description: 'apps/v1 deployments',
      watchPath: '/apis/apps/v1/deployments',
      list: async () => {
        const list = await apps.listDeploymentForAllNamespaces();
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion };
      },
    };
    const virtualServiceEndpoints = VIRTUAL_SERVICE_VERSIONS.map((version): ResourceEndpoint => ({
      description: `${ISTIO_GROUP}/${version} virtualservices`,
      watchPath: `/apis/${ISTIO_GROUP}/${version}/virtualservices`,
      list: async () => {
        const list: unknown = await custom.listClusterCustomObject({
          group: ISTIO_GROUP,
          version,
          plural: 'virtualservices',
        });
        const { items, metadata } = (list ?? {}) as { items?: unknown; metadata?: { resourceVersion?: unknown } };
        return {
          items: Array.isArray(items) ? items : [],
          resourceVersion: typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : undefined,
        };
      },
    }));

    this.services = new KubeResourceCache({
      ...common,
      name: 'services',
      endpoints: [serviceEndpoint],
      convert: toServiceView,
    });
    this.deployments = new KubeResourceCache({
      ...common,
      name: 'deployments',
      endpoints: [deploymentEndpoint],
      convert: toDeploymentView,
    });
    this.virtualServices = new KubeResourceCache({
      ...common,
      name: 'virtualservices',
      endpoints: virtualServiceEndpoints,
      convert: toVirtualServiceView,
    });
  }

  start(): void {
    for (const cache of this.caches()) cache.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.caches().map((cache) => cache.stop()));
  }

  get ready(): boolean {
    return this.caches().every((cache) => cache.synced);
  }

  status(): CacheStatus[] {
    return [
      { name: 'services', cache: this.services },
      { name: 'deployments', cache: this.deployments },
      { name: 'virtualservices', cache: this.virtualServices },
    ].map(({ name, cache }) => ({ name, mode: cache.mode, synced: cache.synced, objects: cache.values().length }));
  }

  /** The same object until one of the caches changes, so the simulator can tell cheaply when to re-plan. */
  snapshot(): ClusterSnapshot {
    const key = this.caches()
      .map((cache) => cache.revision)
      .join(',');
    if (this.cached?.key !== key) {
      this.cached = {
        key,
        snapshot: makeSnapshot(this.services.values(), this.deployments.values(), this.virtualServices.values()),
      };
    }
    return this.cached.snapshot;
  }

  private caches(): KubeResourceCache<unknown>[] {
    return [this.services, this.deployments, this.virtualServices];
  }
}
