// Scaling the target (reference §3.2): to zero once the primary serves, back up when a run starts or the Canary
// is deleted with revertOnDeletion. Merge patches touch only spec.replicas (DaemonSets: the scale-to-zero node
// selector), so the rest of the object stays the user's.
import { DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR, primaryName } from '../builders/index.ts';
import { clusterTypes, type Workload } from '../reconcile/cluster-types.ts';
import { findWorkload, isScaledDownDaemonSet } from '../reconcile/observe-canary.ts';
import { ActionError, namespaceOf, specOf, targetKindOf, type ExecutionContext } from './execution-context.ts';

function currentTarget(ctx: ExecutionContext): Workload {
  const spec = specOf(ctx);
  const namespace = namespaceOf(ctx);
  const target = findWorkload(ctx.view, targetKindOf(ctx), namespace, spec.targetRef.name);
  if (!target)
    throw new ActionError('TargetNotFound', `${spec.targetRef.kind} ${namespace}/${spec.targetRef.name} not found`);
  return target;
}

export async function scaleTargetToZero(ctx: ExecutionContext): Promise<void> {
  const target = currentTarget(ctx);
  if (target.kind === 'Deployment') {
    if (target.object.spec?.replicas === 0) return;
    await ctx.writer.mergePatch(clusterTypes.deployment, target.object, { spec: { replicas: 0 } });
    return;
  }
  if (isScaledDownDaemonSet(target.object)) return;
  await ctx.writer.mergePatch(clusterTypes.daemonSet, target.object, {
    spec: { template: { spec: { nodeSelector: { [DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR]: 'true' } } } },
  });
}

/**
 * `fromZero` (Flagger's ScaleFromZero): keep the target's own count if above zero, else the primary's (without an
 * autoscaler), else the HPA's minReplicas if above one, else 1. `matchPrimary`: the primary's count.
 */
export async function scaleTargetUp(ctx: ExecutionContext, mode: 'fromZero' | 'matchPrimary'): Promise<void> {
  const target = currentTarget(ctx);
  if (target.kind === 'DaemonSet') {
    if (!isScaledDownDaemonSet(target.object)) return;
    await ctx.writer.mergePatch(clusterTypes.daemonSet, target.object, {
      spec: { template: { spec: { nodeSelector: { [DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR]: null } } } },
    });
    return;
  }
  const own = target.object.spec?.replicas ?? 0;
  const replicas =
    mode === 'matchPrimary' ? (primaryReplicas(ctx) ?? fromZeroReplicas(ctx, own)) : fromZeroReplicas(ctx, own);
  if (own === replicas) return;
  await ctx.writer.mergePatch(clusterTypes.deployment, target.object, { spec: { replicas } });
}

function primaryReplicas(ctx: ExecutionContext): number | undefined {
  const spec = specOf(ctx);
  const primary = ctx.view.get(clusterTypes.deployment, namespaceOf(ctx), primaryName(spec.targetRef.name));
  const replicas = primary?.spec?.replicas;
  return replicas !== undefined && replicas > 0 ? replicas : undefined;
}

function fromZeroReplicas(ctx: ExecutionContext, own: number): number {
  if (own > 0) return own;
  const spec = specOf(ctx);
  if (!spec.autoscalerRef) {
    const primary = primaryReplicas(ctx);
    if (primary !== undefined) return primary;
  } else if (spec.autoscalerRef.kind === 'HorizontalPodAutoscaler') {
    const hpa = ctx.view.get(clusterTypes.horizontalPodAutoscaler, namespaceOf(ctx), spec.autoscalerRef.name);
    const min = hpa?.spec?.minReplicas;
    if (min !== undefined && min > 1) return min;
  }
  return 1;
}
