import type { V1LabelSelector, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { renameTrackedConfigReferences, type TrackedConfigNames } from './config-references.ts';
import { withoutFluxToolkitKeys } from './metadata-filters.ts';
import { primarySelectorValue, type SelectorLabel } from './selector-label.ts';

/**
 * Linnet's counterpart of Flagger's `flagger-id` pod annotation: a fresh value on every promotion forces a primary
 * rollout even when the pod spec is unchanged (e.g. only a tracked ConfigMap changed).
 */
export const PROMOTION_ID_ANNOTATION = 'linnet.dev/promotion-id';

/** The node selector Flagger uses to "scale a DaemonSet to zero"; never carried over to the primary. */
export const DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR = 'flagger.app/scale-to-zero';

export interface PrimaryPodTemplateInput {
  /** The target's pod template (not modified). */
  template: V1PodTemplateSpec;
  selector: SelectorLabel;
  trackedConfigs: TrackedConfigNames;
  /** A new value per promotion (injected: builders have no randomness). */
  promotionId: string;
  /** Defaults to PROMOTION_ID_ANNOTATION. */
  promotionIdAnnotation?: string;
}

/**
 * The primary's pod template (reference §3.1): the target's template with the selector label set to `<value>-primary`,
 * tracked ConfigMap/Secret references renamed to their `-primary` copies, topology-spread and pod anti-affinity
 * selectors pointed at the primary pods, Flux toolkit keys dropped, and the promotion id annotation added.
 */
export function buildPrimaryPodTemplate(input: PrimaryPodTemplateInput): V1PodTemplateSpec {
  const { template, selector } = input;
  const labels = withoutFluxToolkitKeys(template.metadata?.labels);
  labels[selector.key] = primarySelectorValue(selector);
  const annotations = withoutFluxToolkitKeys(template.metadata?.annotations);
  annotations[input.promotionIdAnnotation ?? PROMOTION_ID_ANNOTATION] = input.promotionId;

  const spec: V1PodSpec = structuredClone(template.spec ?? { containers: [] });
  renameTrackedConfigReferences(spec, input.trackedConfigs);
  pointSelectorsAtPrimary(spec, selector);
  dropScaleToZeroNodeSelector(spec);

  return { metadata: { labels, annotations }, spec };
}

/**
 * Spread constraints and anti-affinity terms that select the target's pods by the selector label must select the
 * primary's pods instead, or the primary would spread against the (scaled-down) canary.
 */
function pointSelectorsAtPrimary(spec: V1PodSpec, selector: SelectorLabel): void {
  for (const constraint of spec.topologySpreadConstraints ?? []) rewriteSelector(constraint.labelSelector, selector);
  const antiAffinity = spec.affinity?.podAntiAffinity;
  for (const term of antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    rewriteSelector(term.labelSelector, selector);
  }
  for (const weighted of antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    rewriteSelector(weighted.podAffinityTerm.labelSelector, selector);
  }
}

function rewriteSelector(labelSelector: V1LabelSelector | undefined, selector: SelectorLabel): void {
  if (labelSelector === undefined) return;
  const primaryValue = primarySelectorValue(selector);
  if (labelSelector.matchLabels?.[selector.key] === selector.value)
    labelSelector.matchLabels[selector.key] = primaryValue;
  for (const requirement of labelSelector.matchExpressions ?? []) {
    if (requirement.key !== selector.key || requirement.values === undefined) continue;
    requirement.values = requirement.values.map((value) => (value === selector.value ? primaryValue : value));
  }
}

function dropScaleToZeroNodeSelector(spec: V1PodSpec): void {
  if (spec.nodeSelector?.[DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR] === undefined) return;
  const { [DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR]: _scaledToZero, ...rest } = spec.nodeSelector;
  spec.nodeSelector = Object.keys(rest).length === 0 ? undefined : rest;
  if (spec.nodeSelector === undefined) delete spec.nodeSelector;
}
