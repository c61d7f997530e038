import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { canaryIdentity, canaryOwnerReference, primaryName, type BuilderCanary } from './canary-identity.ts';
import { copyableAnnotations, labelsWithIncludedPrefixes, nonEmpty } from './metadata-filters.ts';

export interface PrimaryAutoscalerInput {
  canary: BuilderCanary;
  /** The target's HPA (autoscalerRef). */
  targetAutoscaler: V2HorizontalPodAutoscaler;
  includeLabelPrefixes: readonly string[];
}

/**
 * `<hpa>-primary` (autoscaling/v2, reference §3.2): scales `<target>-primary` with the target HPA's min/max,
 * metrics and behavior; `autoscalerRef.primaryScalerReplicas` overrides min/max. Flagger writes it at creation and
 * on promotion only; when to apply is the caller's decision.
 */
export function buildPrimaryHorizontalPodAutoscaler(input: PrimaryAutoscalerInput): V2HorizontalPodAutoscaler {
  const { canary, targetAutoscaler } = input;
  const { namespace } = canaryIdentity(canary);
  const source = targetAutoscaler.spec;
  const overrides = canary.spec.autoscalerRef?.primaryScalerReplicas;
  const minReplicas = overrides?.minReplicas ?? source?.minReplicas;
  const annotations = nonEmpty(copyableAnnotations(targetAutoscaler.metadata?.annotations));
  const labels = nonEmpty(labelsWithIncludedPrefixes(targetAutoscaler.metadata?.labels, input.includeLabelPrefixes));

  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: primaryName(targetAutoscaler.metadata?.name ?? canary.spec.autoscalerRef?.name ?? ''),
      namespace,
      ...(labels !== undefined && { labels }),
      ...(annotations !== undefined && { annotations }),
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: {
      scaleTargetRef: {
        apiVersion: source?.scaleTargetRef.apiVersion ?? 'apps/v1',
        kind: source?.scaleTargetRef.kind ?? canary.spec.targetRef.kind,
        name: primaryName(canary.spec.targetRef.name),
      },
      ...(minReplicas !== undefined && { minReplicas }),
      maxReplicas: overrides?.maxReplicas ?? source?.maxReplicas ?? 1,
      ...(source?.metrics !== undefined && { metrics: structuredClone(source.metrics) }),
      ...(source?.behavior !== undefined && { behavior: structuredClone(source.behavior) }),
    },
  };
}
