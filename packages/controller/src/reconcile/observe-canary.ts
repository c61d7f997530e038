// Builds the core's Observation of one Canary from the caches: defaulted spec, persisted status, the target's
// revision hash, tracked config checksums, readiness of primary and canary, the routes Istio holds, deletion state.
// Anything that stops a reconcile before the core can decide (invalid spec, missing target) is a Blocker.
import { randomInt } from 'node:crypto';
import { pendingManualAction, validateCanary, withCanaryDefaults, type DefaultedCanarySpec } from '@linnet/api';
import { podTemplateHash, type Observation, type Readiness } from '@linnet/core';
import {
  BuilderError,
  DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR,
  findSelectorLabel,
  readRoutes,
  type LiveRoutes,
  type SelectorLabel,
} from '../builders/index.ts';
import {
  clusterTypes,
  type CanaryResource,
  type DaemonSetResource,
  type VirtualServiceResource,
  type Workload,
} from './cluster-types.ts';
import type { ClusterView } from './cluster-view.ts';
import {
  NO_TRACKED_CONFIGS_FOUND,
  TrackedConfigMissingError,
  trackedConfigsOf,
  type TrackedConfigs,
} from './tracked-configs.ts';
import { daemonSetReadiness, deploymentReadiness } from './workload-readiness.ts';

/** Flagger's finalizer, kept so Flagger-managed Canaries migrate unchanged. */
export const CANARY_FINALIZER = 'finalizer.flagger.app';

/** Annotation on the primary workload naming the target revision (podTemplateHash) it was last promoted from. */
export const PRIMARY_REVISION_ANNOTATION = 'linnet.dev/revision';

export interface ObserveOptions {
  selectorLabels: readonly string[];
  meshProvider: string;
  enableConfigTracking: boolean;
}

export type BlockerReason =
  | 'InvalidSpec'
  | 'TargetNotFound'
  | 'TargetKindUnsupported'
  | 'SelectorLabelMissing'
  | 'TrackedConfigNotFound'
  | 'ProviderUnsupported';

/** Why the Canary cannot be reconciled until something changes; becomes a condition and a Warning event. */
export interface Blocker {
  kind: 'blocked';
  reason: BlockerReason;
  message: string;
}

/** Everything one reconcile knows about a Canary and its objects. */
export interface ObservedCanary {
  kind: 'observed';
  canary: CanaryResource;
  spec: DefaultedCanarySpec;
  target: Workload;
  primary: Workload | undefined;
  selector: SelectorLabel;
  trackedConfigs: TrackedConfigs;
  virtualService: VirtualServiceResource | undefined;
  /** Weights read back from the live VirtualService; undefined if it is missing or has no primary/canary routes. */
  liveRoutes: LiveRoutes | undefined;
  observation: Observation;
}

export function observeCanary(
  canary: CanaryResource,
  view: ClusterView,
  options: ObserveOptions,
  now: Date,
): ObservedCanary | Blocker {
  const namespace = canary.metadata?.namespace ?? '';
  const problems = validateCanary(validationInput(canary));
  if (problems.length > 0) {
    const message = problems.map((problem) => `${problem.path || '(root)'}: ${problem.message}`).join('; ');
    return { kind: 'blocked', reason: 'InvalidSpec', message: `invalid Canary spec: ${message}` };
  }
  const spec = withCanaryDefaults(canary.spec);
  const provider = spec.provider ?? options.meshProvider;
  if (provider !== 'istio') {
    return {
      kind: 'blocked',
      reason: 'ProviderUnsupported',
      message: `provider ${provider} is not supported; Linnet supports istio`,
    };
  }
  const { targetRef } = spec;
  if (targetRef.kind !== 'Deployment' && targetRef.kind !== 'DaemonSet') {
    return {
      kind: 'blocked',
      reason: 'TargetKindUnsupported',
      message: `spec.targetRef.kind ${targetRef.kind} is not supported; use Deployment or DaemonSet`,
    };
  }
  const target = findWorkload(view, targetRef.kind, namespace, targetRef.name);
  if (!target) {
    return {
      kind: 'blocked',
      reason: 'TargetNotFound',
      message: `${targetRef.kind} ${namespace}/${targetRef.name} (spec.targetRef) not found`,
    };
  }
  const podTemplate = target.object.spec?.template;
  let selector: SelectorLabel;
  let trackedConfigs: TrackedConfigs;
  try {
    selector = findSelectorLabel(
      target.object.spec?.selector,
      options.selectorLabels,
      `${targetRef.kind.toLowerCase()} ${targetRef.name}.${namespace}`,
    );
    trackedConfigs = options.enableConfigTracking
      ? trackedConfigsOf(podTemplate?.spec, {
          configMap: (name) => view.get(clusterTypes.configMap, namespace, name),
          secret: (name) => view.get(clusterTypes.secret, namespace, name),
        })
      : NO_TRACKED_CONFIGS_FOUND;
  } catch (error) {
    if (error instanceof BuilderError && error.reason === 'SelectorLabelMissing') {
      return { kind: 'blocked', reason: 'SelectorLabelMissing', message: error.message };
    }
    if (error instanceof TrackedConfigMissingError) {
      return { kind: 'blocked', reason: 'TrackedConfigNotFound', message: error.message };
    }
    throw error;
  }

  const primary = findWorkload(view, targetRef.kind, namespace, `${targetRef.name}-primary`);
  const apex = spec.service?.name ?? targetRef.name;
  const virtualService = view.get(clusterTypes.virtualService, namespace, apex);
  const liveRoutes = virtualService ? routesOf(virtualService, apex) : undefined;
  const status = canary.status ?? {};
  const policy = (threshold: number) => ({
    readyThresholdPercent: threshold,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    now,
    lastTransitionTime: status.lastTransitionTime,
  });

  // A pending linnet promote|abort|retry (docs/cli.md); a malformed record is the reconciler's to report.
  const manual = pendingManualAction(canary.metadata?.annotations);
  const observation: Observation = {
    canary: {
      name: canary.metadata?.name ?? '',
      namespace,
      ...(canary.metadata?.generation !== undefined && { generation: canary.metadata.generation }),
    },
    spec,
    status,
    provider,
    targetHash: revisionOf(target),
    configChecksums: trackedConfigs.checksums,
    targetReplicas: replicasOf(target),
    primaryReadiness: primary
      ? readinessOf(primary, policy(spec.analysis.primaryReadyThreshold))
      : { state: 'waiting', message: `${targetRef.name}-primary.${namespace} not created yet` },
    canaryReadiness: readinessOf(target, policy(spec.analysis.canaryReadyThreshold)),
    ...(primary?.object.metadata?.annotations?.[PRIMARY_REVISION_ANNOTATION] !== undefined && {
      primaryRevision: primary.object.metadata.annotations[PRIMARY_REVISION_ANNOTATION],
    }),
    routes: liveRoutes,
    now,
    deletion: {
      requested: Boolean(canary.metadata?.deletionTimestamp),
      finalizerPresent: canary.metadata?.finalizers?.includes(CANARY_FINALIZER) ?? false,
    },
    freshCookieValues: { canary: randomLetters(10), primary: randomLetters(10) },
    ...(manual.kind === 'request' && { manualAction: manual.request }),
  };

  return {
    kind: 'observed',
    canary,
    spec,
    target,
    primary,
    selector,
    trackedConfigs,
    virtualService,
    liveRoutes,
    observation,
  };
}

/** The target revision: the pod template hash, ignoring the node selector that marks a scaled-down DaemonSet. */
export function revisionOf(workload: Workload): string {
  const template = workload.object.spec?.template;
  if (workload.kind !== 'DaemonSet' || !template?.spec?.nodeSelector?.[DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR]) {
    return podTemplateHash(template);
  }
  const copy = structuredClone(template);
  delete copy.spec?.nodeSelector?.[DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR];
  return podTemplateHash(copy);
}

export function findWorkload(
  view: ClusterView,
  kind: 'Deployment' | 'DaemonSet',
  namespace: string,
  name: string,
): Workload | undefined {
  if (kind === 'Deployment') {
    const object = view.get(clusterTypes.deployment, namespace, name);
    return object && { kind, object };
  }
  const object = view.get(clusterTypes.daemonSet, namespace, name);
  return object && { kind, object };
}

function replicasOf(workload: Workload): number {
  if (workload.kind === 'Deployment') return workload.object.spec?.replicas ?? 1;
  return isScaledDownDaemonSet(workload.object) ? 0 : 1;
}

export function isScaledDownDaemonSet(daemonSet: DaemonSetResource): boolean {
  return daemonSet.spec?.template.spec?.nodeSelector?.[DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR] !== undefined;
}

function readinessOf(workload: Workload, policy: Parameters<typeof daemonSetReadiness>[1]): Readiness {
  return workload.kind === 'Deployment'
    ? deploymentReadiness(workload.object, policy)
    : daemonSetReadiness(workload.object, policy);
}

function routesOf(virtualService: VirtualServiceResource, apex: string): LiveRoutes | undefined {
  try {
    return readRoutes(virtualService, apex);
  } catch (error) {
    // A VirtualService without the primary/canary routes is treated as missing: the core re-applies its routes.
    if (error instanceof BuilderError) return undefined;
    throw error;
  }
}

/** Only what validation should see: the server's bookkeeping (managedFields, uid, status) is not the user's spec. */
function validationInput(canary: CanaryResource): unknown {
  const { name, namespace, labels, annotations } = canary.metadata ?? {};
  return {
    apiVersion: canary.apiVersion ?? 'flagger.app/v1beta1',
    kind: canary.kind ?? 'Canary',
    metadata: { name, namespace, labels, annotations },
    spec: canary.spec,
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomLetters(count: number): string {
  let letters = '';
  for (let index = 0; index < count; index++) letters += LETTERS[randomInt(LETTERS.length)];
  return letters;
}
