// Builds the core's Observation of one Canary from the caches: defaulted spec, persisted status, the target's
// revision hash, tracked config checksums, readiness of primary and canary, the routes Istio holds, deletion state.
// Anything that stops a reconcile before the core can decide (invalid spec, missing target) is a Blocker.
import { randomInt } from 'node:crypto';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { pendingManualAction, validateCanary, withCanaryDefaults, type DefaultedCanarySpec } from '@linnet/api';
import { podTemplateHash, type Observation, type Readiness } from '@linnet/core';
import {
  BuilderError,
  DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR,
  findSelectorLabel,
  primaryName,
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
  /** Undefined when the target was deleted during a run (Observation.targetMissing). */
  target: Workload | undefined;
  primary: Workload | undefined;
  /** The pod template the Services' ports come from: the target's, or the primary's while the target is missing. */
  podTemplate: V1PodTemplateSpec | undefined;
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
    const primary = findWorkload(view, targetRef.kind, namespace, primaryName(targetRef.name));
    if (primary && isRunInFlight(canary) && !canary.metadata?.deletionTimestamp) {
      return observeWithoutTarget(canary, spec, provider, primary, view, options, now);
    }
    return {
      kind: 'blocked',
      reason: 'TargetNotFound',
      message: `${targetRef.kind} ${namespace}/${targetRef.name} (spec.targetRef) not found`,
    };
  }
  const podTemplate = target.object.spec?.template;
  return observeWithTarget(canary, spec, provider, target, podTemplate, view, options, now);
}

function observeWithTarget(
  canary: CanaryResource,
  spec: DefaultedCanarySpec,
  provider: string,
  target: Workload,
  podTemplate: V1PodTemplateSpec | undefined,
  view: ClusterView,
  options: ObserveOptions,
  now: Date,
): ObservedCanary | Blocker {
  const namespace = canary.metadata?.namespace ?? '';
  const { targetRef } = spec;
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

  const primary = findWorkload(view, target.kind, namespace, primaryName(targetRef.name));
  const policy = readinessPolicy(canary, spec, now);
  return observed(canary, spec, provider, view, now, {
    target,
    primary,
    podTemplate,
    selector,
    trackedConfigs,
    facts: {
      targetHash: revisionOf(target),
      configChecksums: trackedConfigs.checksums,
      targetReplicas: replicasOf(target),
      canaryReadiness: readinessOf(target, policy(spec.analysis.canaryReadyThreshold)),
      ...missingPartsOfPrimary(view, namespace, `${target.kind} ${targetRef.name}-primary`, primary, trackedConfigs),
    },
  });
}

/** The primary workload or a `-primary` config copy that does not exist (they are created together). */
function missingPartsOfPrimary(
  view: ClusterView,
  namespace: string,
  primaryDescription: string,
  primary: Workload | undefined,
  trackedConfigs: TrackedConfigs,
): Pick<Observation, 'primaryMissing'> {
  if (!primary) return { primaryMissing: `${primaryDescription}.${namespace} not found` };
  for (const name of trackedConfigs.names.configMaps) {
    if (!view.get(clusterTypes.configMap, namespace, primaryName(name))) {
      return { primaryMissing: `ConfigMap ${name}-primary.${namespace} not found` };
    }
  }
  for (const name of trackedConfigs.names.secrets) {
    if (!view.get(clusterTypes.secret, namespace, primaryName(name))) {
      return { primaryMissing: `Secret ${name}-primary.${namespace} not found` };
    }
  }
  return {};
}

/**
 * The target was deleted during a run: the core is told so (it routes all traffic back to the primary), and the
 * Services keep the primary's ports and selector, so the primary keeps serving.
 */
function observeWithoutTarget(
  canary: CanaryResource,
  spec: DefaultedCanarySpec,
  provider: string,
  primary: Workload,
  view: ClusterView,
  options: ObserveOptions,
  now: Date,
): ObservedCanary | Blocker {
  const namespace = canary.metadata?.namespace ?? '';
  const { targetRef } = spec;
  const status = canary.status ?? {};
  const missing = `${targetRef.kind} ${namespace}/${targetRef.name} (spec.targetRef) not found`;
  let primaryLabel: SelectorLabel;
  try {
    primaryLabel = findSelectorLabel(
      primary.object.spec?.selector,
      options.selectorLabels,
      primaryName(targetRef.name),
    );
  } catch (error) {
    if (error instanceof BuilderError) return { kind: 'blocked', reason: 'TargetNotFound', message: missing };
    throw error;
  }
  return observed(canary, spec, provider, view, now, {
    target: undefined,
    primary,
    podTemplate: primary.object.spec?.template,
    selector: { key: primaryLabel.key, value: primaryLabel.value.replace(/-primary$/, '') },
    trackedConfigs: NO_TRACKED_CONFIGS_FOUND,
    facts: {
      targetMissing: true,
      targetHash: status.lastAppliedSpec ?? '',
      configChecksums: status.trackedConfigs ?? {},
      targetReplicas: 0,
      canaryReadiness: { state: 'waiting', message: `${targetRef.name}.${namespace} not ready: not found` },
    },
  });
}

/** Phases in which traffic or the primary may depend on the target. */
function isRunInFlight(canary: CanaryResource): boolean {
  const phase = canary.status?.phase ?? '';
  return ['Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'].includes(phase);
}

type TargetFacts = Pick<
  Observation,
  'targetHash' | 'configChecksums' | 'targetReplicas' | 'canaryReadiness' | 'targetMissing' | 'primaryMissing'
>;

interface ObservedParts {
  target: Workload | undefined;
  primary: Workload | undefined;
  podTemplate: V1PodTemplateSpec | undefined;
  selector: SelectorLabel;
  trackedConfigs: TrackedConfigs;
  facts: TargetFacts;
}

function readinessPolicy(canary: CanaryResource, spec: DefaultedCanarySpec, now: Date) {
  return (threshold: number) => ({
    readyThresholdPercent: threshold,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    now,
    lastTransitionTime: canary.status?.lastTransitionTime,
  });
}

function observed(
  canary: CanaryResource,
  spec: DefaultedCanarySpec,
  provider: string,
  view: ClusterView,
  now: Date,
  parts: ObservedParts,
): ObservedCanary {
  const namespace = canary.metadata?.namespace ?? '';
  const { targetRef } = spec;
  const { primary } = parts;
  const apex = spec.service?.name ?? targetRef.name;
  const virtualService = view.get(clusterTypes.virtualService, namespace, apex);
  const liveRoutes = virtualService ? routesOf(virtualService, apex) : undefined;
  const policy = readinessPolicy(canary, spec, now);

  // A pending linnet promote|abort|retry (docs/cli.md); a malformed record is the reconciler's to report.
  const manual = pendingManualAction(canary.metadata?.annotations);
  const observation: Observation = {
    canary: {
      name: canary.metadata?.name ?? '',
      namespace,
      ...(canary.metadata?.generation !== undefined && { generation: canary.metadata.generation }),
    },
    spec,
    status: canary.status ?? {},
    provider,
    ...parts.facts,
    primaryReadiness: primary
      ? readinessOf(primary, policy(spec.analysis.primaryReadyThreshold))
      : { state: 'waiting', message: `${targetRef.name}-primary.${namespace} not created yet` },
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
    target: parts.target,
    primary,
    podTemplate: parts.podTemplate,
    selector: parts.selector,
    trackedConfigs: parts.trackedConfigs,
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
