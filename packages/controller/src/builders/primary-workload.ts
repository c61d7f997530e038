import type { V1DaemonSet, V1Deployment, V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import { canaryIdentity, canaryOwnerReference, primaryName, type BuilderCanary } from './canary-identity.ts';
import { BuilderError } from './builder-error.ts';
import type { TrackedConfigNames } from './config-references.ts';
import { copyableAnnotations, labelsWithIncludedPrefixes, nonEmpty } from './metadata-filters.ts';
import { buildPrimaryPodTemplate } from './primary-pod-template.ts';
import { findSelectorLabel, primarySelectorValue, type SelectorLabel } from './selector-label.ts';

export interface PrimaryWorkloadOptions {
  /** `--selector-labels`, in order of preference (DEFAULT_SELECTOR_LABELS). */
  selectorLabels: readonly string[];
  /** `--include-label-prefix` as a list (`*` = all labels). */
  includeLabelPrefixes: readonly string[];
  trackedConfigs: TrackedConfigNames;
  /** A new value per promotion; the same value re-applies idempotently. */
  promotionId: string;
  promotionIdAnnotation?: string;
}

export interface PrimaryDeploymentInput extends PrimaryWorkloadOptions {
  canary: BuilderCanary;
  target: V1Deployment;
  /** The live primary, when it exists (its replica count is kept where the target cannot tell). */
  existingPrimary?: V1Deployment | undefined;
}

export interface PrimaryDaemonSetInput extends PrimaryWorkloadOptions {
  canary: BuilderCanary;
  target: V1DaemonSet;
}

/**
 * `<target>-primary` Deployment (reference §3.1). Replicas: with an autoscalerRef and an existing primary the live
 * count is echoed (the HPA owns it); otherwise the target's count when > 0, else the live primary's when > 0, else 1 —
 * so re-applying while the target is scaled to zero never shrinks the primary.
 */
export function buildPrimaryDeployment(input: PrimaryDeploymentInput): V1Deployment {
  const { canary, target } = input;
  const { template, selector } = primaryTemplate(
    input,
    target.spec?.template,
    target.spec?.selector,
    'deployment',
    target.metadata,
  );
  const targetSpec = target.spec;
  const liveReplicas = input.existingPrimary?.spec?.replicas;
  const replicas =
    canary.spec.autoscalerRef !== undefined && liveReplicas !== undefined
      ? liveReplicas
      : (positive(targetSpec?.replicas) ?? positive(liveReplicas) ?? 1);

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: primaryMetadata(input, target.metadata, selector),
    spec: {
      replicas,
      ...(targetSpec?.progressDeadlineSeconds !== undefined && {
        progressDeadlineSeconds: targetSpec.progressDeadlineSeconds,
      }),
      ...(targetSpec?.minReadySeconds !== undefined && { minReadySeconds: targetSpec.minReadySeconds }),
      ...(targetSpec?.revisionHistoryLimit !== undefined && { revisionHistoryLimit: targetSpec.revisionHistoryLimit }),
      ...(targetSpec?.strategy !== undefined && { strategy: structuredClone(targetSpec.strategy) }),
      selector: { matchLabels: { [selector.key]: primarySelectorValue(selector) } },
      template,
    },
  };
}

/** `<target>-primary` DaemonSet: as the Deployment, without replicas; the scale-to-zero node selector is dropped. */
export function buildPrimaryDaemonSet(input: PrimaryDaemonSetInput): V1DaemonSet {
  const { target } = input;
  const { template, selector } = primaryTemplate(
    input,
    target.spec?.template,
    target.spec?.selector,
    'daemonset',
    target.metadata,
  );
  const targetSpec = target.spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: primaryMetadata(input, target.metadata, selector),
    spec: {
      ...(targetSpec?.minReadySeconds !== undefined && { minReadySeconds: targetSpec.minReadySeconds }),
      ...(targetSpec?.revisionHistoryLimit !== undefined && { revisionHistoryLimit: targetSpec.revisionHistoryLimit }),
      ...(targetSpec?.updateStrategy !== undefined && { updateStrategy: structuredClone(targetSpec.updateStrategy) }),
      selector: { matchLabels: { [selector.key]: primarySelectorValue(selector) } },
      template,
    },
  };
}

function primaryTemplate(
  input: PrimaryWorkloadOptions & { canary: BuilderCanary },
  template: V1PodTemplateSpec | undefined,
  labelSelector: Parameters<typeof findSelectorLabel>[0],
  kind: 'deployment' | 'daemonset',
  metadata: V1ObjectMeta | undefined,
): { template: V1PodTemplateSpec; selector: SelectorLabel } {
  const described = `${kind} ${metadata?.name ?? ''}.${metadata?.namespace ?? ''}`;
  if (template === undefined) throw new BuilderError('TargetTemplateMissing', `${described} has no spec.template`);
  const selector = findSelectorLabel(labelSelector, input.selectorLabels, described);
  return {
    selector,
    template: buildPrimaryPodTemplate({
      template,
      selector,
      trackedConfigs: input.trackedConfigs,
      promotionId: input.promotionId,
      ...(input.promotionIdAnnotation !== undefined && { promotionIdAnnotation: input.promotionIdAnnotation }),
    }),
  };
}

/**
 * Labels: only those matching `--include-label-prefix`, plus the selector label set to `<value>-primary`.
 * Annotations: all, except Flux toolkit keys and other writers' bookkeeping.
 */
function primaryMetadata(
  input: PrimaryWorkloadOptions & { canary: BuilderCanary },
  target: V1ObjectMeta | undefined,
  selector: SelectorLabel,
): V1ObjectMeta {
  const { namespace } = canaryIdentity(input.canary);
  const labels = labelsWithIncludedPrefixes(target?.labels, input.includeLabelPrefixes);
  labels[selector.key] = primarySelectorValue(selector);
  const annotations = nonEmpty(copyableAnnotations(target?.annotations));
  return {
    name: primaryName(target?.name ?? input.canary.spec.targetRef.name),
    namespace,
    labels,
    ...(annotations !== undefined && { annotations }),
    ownerReferences: [canaryOwnerReference(input.canary)],
  };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}
