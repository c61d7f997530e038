import {
  ApiException,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Canary } from '@linnet/api';
import { waitFor } from '../wait.ts';

/** Field manager of what the demo applies and changes (with kubectl). */
export const DEMO_FIELD_MANAGER = 'linnet-demo';

/**
 * The API calls the demo makes besides the walkthrough's kubectl commands (preflight, namespace reset, the Canary
 * watch its steps wait on, events), through @kubernetes/client-node (any kubeconfig, not only the testenv's).
 */
export interface CanaryEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  /** ms since the epoch (eventTime, else the series' last observation, else creation). */
  readonly timeMs: number;
}

export class DemoKube {
  readonly kubeConfig: KubeConfig;
  private readonly objects: KubernetesObjectApi;

  constructor(kubeconfigPath: string | undefined) {
    this.kubeConfig = new KubeConfig();
    if (kubeconfigPath) this.kubeConfig.loadFromFile(kubeconfigPath);
    else this.kubeConfig.loadFromDefault();
    this.objects = KubernetesObjectApi.makeApiClient(this.kubeConfig);
  }

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? '(unknown)';
  }

  async read(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<KubernetesObject | undefined> {
    try {
      return await this.objects.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Whether the API server serves `plural.group` (e.g. canaries.flagger.app) in `version`. */
  async serves(group: string, version: string, plural: string): Promise<boolean> {
    try {
      const list = await this.objects.list(
        `${group}/${version}`,
        kindOf(plural),
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        1,
      );
      return Array.isArray(list.items);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /**
   * Drops the controller's finalizer from the namespace's Canaries before the namespace is deleted: the demo's
   * controller is not running then (an earlier run stopped it, or failed half-way), and nothing else would.
   */
  async dropCanaryFinalizers(namespace: string): Promise<void> {
    const canaries = await this.objects.list('flagger.app/v1beta1', 'Canary', namespace);
    for (const canary of canaries.items) {
      if (!canary.metadata?.finalizers?.length || !canary.metadata.name) continue;
      const patch = {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { name: canary.metadata.name, namespace, finalizers: null },
      };
      await this.objects.patch(
        patch as unknown as KubernetesObject,
        undefined,
        undefined,
        DEMO_FIELD_MANAGER,
        undefined,
        PatchStrategy.MergePatch,
      );
    }
  }

  /** Deletes the namespace and waits until it is gone (the namespace controller removes its contents first). */
  async deleteNamespace(name: string, timeoutMs: number): Promise<void> {
    try {
      await this.objects.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await waitFor(
      `namespace ${name} to be deleted`,
      async () => ((await this.read('v1', 'Namespace', name)) === undefined ? true : undefined),
      { timeoutMs, intervalMs: 250 },
    );
  }

  /** The Canary's events (events.k8s.io/v1), oldest first. */
  async canaryEvents(namespace: string, name: string): Promise<CanaryEvent[]> {
    const list = await this.objects.list('events.k8s.io/v1', 'Event', namespace);
    return (list.items as EventObject[])
      .filter((event) => event.regarding?.kind === 'Canary' && event.regarding.name === name)
      .map((event) => ({
        type: event.type ?? '',
        reason: event.reason ?? '',
        message: event.note ?? '',
        timeMs: Date.parse(
          String(event.series?.lastObservedTime ?? event.eventTime ?? event.metadata?.creationTimestamp ?? 0),
        ),
      }))
      .sort((a, b) => a.timeMs - b.timeMs);
  }

  /**
   * Watches one Canary and calls `onCanary` with every version of it (the current one first). Watches that the
   * server or client-node end are reopened; `stop()` ends it.
   */
  watchCanary(namespace: string, name: string, onCanary: (canary: Canary) => void): { stop(): void } {
    const watch = new Watch(this.kubeConfig);
    let stopped = false;
    let current: AbortController | undefined;
    const open = (): void => {
      if (stopped) return;
      watch
        .watch(
          `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries`,
          // Below client-node's 30 s inactivity abort, so a quiet watch ends cleanly and is reopened.
          { fieldSelector: `metadata.name=${name}`, timeoutSeconds: 25 },
          (type, object: Canary) => {
            if (type === 'ADDED' || type === 'MODIFIED') onCanary(object);
          },
          (error: unknown) => {
            // Ended (server timeout, network): reopen; a reopened watch starts with the current object.
            if (!stopped) setTimeout(open, error ? 500 : 0);
          },
        )
        .then(
          (controller) => {
            current = controller;
            if (stopped) controller.abort();
          },
          () => {
            if (!stopped) setTimeout(open, 500);
          },
        );
    };
    open();
    return {
      stop: () => {
        stopped = true;
        current?.abort();
      },
    };
  }
}

interface EventObject {
  type?: string;
  reason?: string;
  note?: string;
  eventTime?: string | Date;
  series?: { lastObservedTime?: string | Date };
  metadata?: { creationTimestamp?: string | Date };
  regarding?: { kind?: string; name?: string };
}

function kindOf(plural: string): string {
  const kinds: Record<string, string> = {
    canaries: 'Canary',
    virtualservices: 'VirtualService',
    destinationrules: 'DestinationRule',
    gateways: 'Gateway',
  };
  const kind = kinds[plural];
  if (!kind) throw new Error(`unknown resource ${plural}`);
  return kind;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}
