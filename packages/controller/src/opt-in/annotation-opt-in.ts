import type { OptInPolicy, PrivateTestLoader } from '@linnet/api';
import { canonicalJson } from '@linnet/core';
import type { EventToRecord } from '../kube/event-recorder.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import type { Logger } from '../observability/logger.ts';
import { describeError } from '../observability/logger.ts';
import { DelayingWorkQueue } from '../queue/work-queue.ts';
import { runWorkers } from '../queue/worker-pool.ts';
import {
  desiredOptInCanary,
  type GeneratedCanary,
  type OptInWorkloadKind,
  type WorkloadObject,
} from './desired-opt-in-canary.ts';
import { planOptInChange, type ExistingCanary, type OptInChange } from './plan-opt-in-change.ts';
import { TEST_LOADER_FOR_LABEL } from './private-test-loader-objects.ts';
import type { PrivateTestLoaderWriter } from './private-test-loader-writer.ts';

/** A cached, watched set of objects of one kind (an informer, in the controller). */
export interface WatchedObjects<T extends KubeObject> {
  get(namespace: string, name: string): T | undefined;
  /** Calls `onChange` for every object seen (added, updated, resynced or deleted); returns the unsubscribe. */
  subscribe(onChange: (object: T) => void): () => void;
}

/** Everything the annotation opt-in needs from the cluster. */
export interface AnnotationOptInDeps {
  deployments: WatchedObjects<WorkloadObject>;
  /** Omit to opt in Deployments only. */
  daemonSets?: WatchedObjects<WorkloadObject>;
  canaries: WatchedObjects<ExistingCanary> & {
    /** Create or update the generated Canary (server-side apply of exactly the fields given); the Canary applied. */
    apply(canary: GeneratedCanary): Promise<ExistingCanary>;
    /** Delete the Canary if it is still the one with this uid. */
    delete(canary: { namespace: string; name: string; uid?: string }): Promise<void>;
  };
  /** Events on the workload (Warning for malformed annotations, Normal when the Canary is created or removed). */
  events: { record(regarding: KubeObject, event: EventToRecord): Promise<void> };
  logger: Logger;
  /** Creates the workload's own test loader when its load tests need one; omit to only log that one is needed. */
  testLoaders?: { writer: PrivateTestLoaderWriter; image: string };
  /** What annotations may reach (gateways, hosts, webhooks, metrics servers); default DEFAULT_OPT_IN_POLICY. */
  policy?: OptInPolicy;
  /** Concurrent reconciles. Default 1: opt-in changes are rare and cheap. */
  workers?: number;
}

export interface AnnotationOptIn {
  /** Stop watching and wait for the reconcile in progress. */
  stop(): Promise<void>;
}

const EVENT_ACTION = 'OptIn';

function workloadKey(kind: OptInWorkloadKind, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function parseWorkloadKey(key: string): { kind: OptInWorkloadKind; namespace: string; name: string } {
  const [kind, namespace = '', name = ''] = key.split('/');
  return { kind: kind === 'DaemonSet' ? 'DaemonSet' : 'Deployment', namespace, name };
}

/**
 * Keeps a Canary for every Deployment and DaemonSet annotated `linnet.dev/canary: enabled`: created and updated
 * from the annotations, deleted when the opt-in is removed. A malformed annotation gives a Warning event on the
 * workload and changes nothing. Runs until `stop`; start it on the leader only, like every writer.
 */
export function startAnnotationOptIn(deps: AnnotationOptInDeps): AnnotationOptIn {
  const logger = deps.logger.child({ component: 'annotation-opt-in' });
  const queue = new DelayingWorkQueue();
  // The problems last reported per workload, so a resync does not repeat the same warning every 30 seconds.
  const lastWarnings = new Map<string, string>();
  const sources: Array<[OptInWorkloadKind, WatchedObjects<WorkloadObject> | undefined]> = [
    ['Deployment', deps.deployments],
    ['DaemonSet', deps.daemonSets],
  ];

  const unsubscribes = sources.flatMap(([kind, source]) =>
    source
      ? [
          source.subscribe((workload) => {
            const { namespace, name, labels } = workload.metadata ?? {};
            if (namespace && name) queue.add(workloadKey(kind, namespace, name));
            // A generated test loader changed or deleted by hand is put back by its workload's opt-in.
            const servedWorkload = labels?.[TEST_LOADER_FOR_LABEL];
            if (namespace && servedWorkload) {
              for (const [servedKind, watched] of sources) {
                if (watched) queue.add(workloadKey(servedKind, namespace, servedWorkload));
              }
            }
          }),
        ]
      : [],
  );
  // A generated Canary edited or deleted by hand is put back; the owner reference leads to its workload.
  unsubscribes.push(
    deps.canaries.subscribe((canary) => {
      const namespace = canary.metadata?.namespace;
      const owner = canary.metadata?.ownerReferences?.find(
        (reference) => reference.controller && (reference.kind === 'Deployment' || reference.kind === 'DaemonSet'),
      );
      if (namespace && owner) queue.add(workloadKey(owner.kind as OptInWorkloadKind, namespace, owner.name));
    }),
  );

  /** Carries out the change; returns the generated Canary when it is (now) the one the workload asks for. */
  async function execute(
    change: OptInChange,
    workload: WorkloadObject,
    key: string,
  ): Promise<ExistingCanary | undefined> {
    switch (change.type) {
      case 'none':
        return undefined;
      case 'warn': {
        const fingerprint = canonicalJson(change);
        if (lastWarnings.get(key) === fingerprint) return;
        for (const message of change.messages) {
          await deps.events.record(workload, { type: 'Warning', reason: change.reason, action: EVENT_ACTION, message });
        }
        lastWarnings.set(key, fingerprint);
        logger.warn('opt-in annotations not applied', {
          workload: key,
          reason: change.reason,
          problems: change.messages,
        });
        return undefined;
      }
      case 'apply': {
        const applied = await deps.canaries.apply(change.canary);
        const { namespace, name } = change.canary.metadata;
        const verb = change.reason === 'Created' ? 'created' : 'updated';
        await deps.events.record(workload, {
          type: 'Normal',
          reason: `Canary${change.reason}`,
          action: EVENT_ACTION,
          message: `Canary ${namespace}/${name} ${verb} from the linnet.dev annotations`,
        });
        logger.info(`generated Canary ${verb}`, { workload: key, canary: `${namespace}/${name}` });
        return applied;
      }
      case 'delete': {
        await deps.canaries.delete(change.canary);
        const { namespace, name } = change.canary;
        await deps.events.record(workload, {
          type: 'Normal',
          reason: 'CanaryDeleted',
          action: EVENT_ACTION,
          message: `Canary ${namespace}/${name} deleted: linnet.dev/canary is no longer enabled`,
        });
        logger.info('generated Canary deleted', { workload: key, canary: `${namespace}/${name}` });
        return undefined;
      }
    }
  }

  async function reconcile(key: string): Promise<void> {
    const { kind, namespace, name } = parseWorkloadKey(key);
    const source = kind === 'DaemonSet' ? deps.daemonSets : deps.deployments;
    const workload = source?.get(namespace, name);
    // A deleted workload takes its generated Canary with it (owner reference, garbage collection).
    if (!workload) {
      lastWarnings.delete(key);
      return;
    }
    const decision = desiredOptInCanary(workload, kind, deps.policy);
    const change = planOptInChange(decision, workload.metadata?.uid, deps.canaries.get(namespace, name));
    if (change.type !== 'warn') lastWarnings.delete(key);
    const applied = await execute(change, workload, key);
    const loader = decision.privateTestLoader;
    if (!loader || !decision.canary || change.type === 'warn' || change.type === 'delete') return;
    const canary = applied ?? deps.canaries.get(namespace, name);
    await keepTestLoader({ loader, workload: name, canary, applied: applied !== undefined });
  }

  /**
   * The private test loader, owned by the generated Canary: applied when the Canary is, and again when its
   * Deployment is missing or belongs to an earlier Canary of that name.
   */
  async function keepTestLoader(target: {
    loader: PrivateTestLoader;
    workload: string;
    canary: ExistingCanary | undefined;
    applied: boolean;
  }): Promise<void> {
    const { loader, workload, canary } = target;
    const uid = canary?.metadata?.uid;
    if (!deps.testLoaders) {
      if (target.applied) logger.info('the load tests of this Canary need a test loader', { workload, loader });
      return;
    }
    if (!uid) return; // Not in the cache yet: the Canary's own watch event brings the workload back.
    const existing = deps.deployments.get(loader.namespace, loader.name);
    if (!target.applied && existing && existing.metadata?.ownerReferences?.some((owner) => owner.uid === uid)) return;
    await deps.testLoaders.writer.ensure({
      loader,
      workload,
      canary: { name: canary.metadata?.name ?? workload, uid },
      image: deps.testLoaders.image,
    });
    logger.info('private test loader applied', { workload, testLoader: `${loader.namespace}/${loader.name}` });
  }

  const workersDone = runWorkers({
    queue,
    workers: deps.workers ?? 1,
    reconcile,
    onProcessed: (report) => {
      if (report.error !== undefined) {
        logger.error('opt-in reconcile failed; retrying', { workload: report.key, ...describeError(report.error) });
      }
    },
  });

  return {
    async stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      queue.shutDown();
      await workersDone;
    },
  };
}
