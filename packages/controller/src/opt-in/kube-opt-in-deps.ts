import type { EventRecorder } from '../kube/event-recorder.ts';
import type { KubeAccess } from '../kube/kube-access.ts';
import { ConflictError, NotFoundError } from '../kube/kube-errors.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import { defineResourceType, resourceTypes } from '../kube/resource-type.ts';
import type { Informer } from '../informers/informer.ts';
import type { Logger } from '../observability/logger.ts';
import type { AnnotationOptInDeps, WatchedObjects } from './annotation-opt-in.ts';
import type { GeneratedCanary, WorkloadObject } from './desired-opt-in-canary.ts';
import type { ExistingCanary } from './plan-opt-in-change.ts';
import { kubePrivateTestLoaderWriter } from './private-test-loader-writer.ts';

/**
 * Field manager of the generated Canaries. Separate from the reconciler's "linnet", so that the fields one writer
 * applies are never removed by the other's apply (server-side apply drops what a manager stops sending).
 */
export const OPT_IN_FIELD_MANAGER = 'linnet-opt-in';

const generatedCanaries = defineResourceType<GeneratedCanary>(resourceTypes.canary);

/** A WatchedObjects view of an informer: its cache, and every add, update, resync and delete. */
export function watchedObjectsOf<T extends KubeObject>(informer: Informer<T>): WatchedObjects<T> {
  return {
    get: (namespace, name) => informer.store.get(namespace, name),
    subscribe(onChange) {
      return informer.addHandler({
        onAdd: onChange,
        onUpdate: (_previous, current) => onChange(current),
        onResync: onChange,
        onDelete: onChange,
      });
    },
  };
}

export interface KubeOptInDepsOptions {
  access: KubeAccess;
  events: EventRecorder;
  logger: Logger;
  deployments: Informer<WorkloadObject>;
  /** Omit to opt in Deployments only. */
  daemonSets?: Informer<WorkloadObject>;
  canaries: Informer<ExistingCanary>;
  /** Image of the private test loaders created for opted-in workloads (-test-loader-image). */
  testLoaderImage: string;
  workers?: number;
}

/** AnnotationOptInDeps backed by the controller's KubeAccess, informers and event recorder. */
export function kubeOptInDeps(options: KubeOptInDepsOptions): AnnotationOptInDeps {
  const { access } = options;
  return {
    deployments: watchedObjectsOf(options.deployments),
    ...(options.daemonSets && { daemonSets: watchedObjectsOf(options.daemonSets) }),
    canaries: {
      ...watchedObjectsOf(options.canaries),
      apply: (canary) => access.apply(generatedCanaries, canary, { fieldManager: OPT_IN_FIELD_MANAGER, force: true }),
      async delete({ namespace, name, uid }) {
        try {
          await access.delete(resourceTypes.canary, { namespace, name }, uid ? { preconditions: { uid } } : {});
        } catch (error) {
          // Already gone, or replaced by another Canary of that name: either way not ours to delete any more.
          if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
        }
      },
    },
    testLoaders: {
      writer: kubePrivateTestLoaderWriter({ access, fieldManager: OPT_IN_FIELD_MANAGER }),
      image: options.testLoaderImage,
    },
    events: options.events,
    logger: options.logger,
    ...(options.workers !== undefined && { workers: options.workers }),
  };
}
