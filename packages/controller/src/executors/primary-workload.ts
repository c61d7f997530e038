// `<target>-primary` and its autoscaler (reference §3.1–3.2). Created once from the target (ensurePrimary) and
// updated only on promotion, which copies the analysed pod template and marks the primary with its revision.
import { createHash } from 'node:crypto';
import {
  buildPrimaryDaemonSet,
  buildPrimaryDeployment,
  buildPrimaryHorizontalPodAutoscaler,
  primaryName,
} from '../builders/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { asResource, clusterTypes, type Workload } from '../reconcile/cluster-types.ts';
import { findWorkload, PRIMARY_REVISION_ANNOTATION } from '../reconcile/observe-canary.ts';
import { applyIfChanged } from './apply-if-changed.ts';
import { takeBackFromEarlierCanary } from './canary-ownership.ts';
import { takeBackTrafficObjects } from './traffic-objects.ts';
import {
  ActionError,
  builderCanary,
  namespaceOf,
  specOf,
  targetKindOf,
  type ExecutionContext,
} from './execution-context.ts';
import { syncPrimaryConfigs } from './primary-configs.ts';

/**
 * Creates the primary workload, its config copies and its autoscaler where missing; never updates them. What an
 * earlier Canary of the same name left (primary, copies, autoscaler, traffic objects) is taken back instead.
 */
export async function ensurePrimary(ctx: ExecutionContext, revision: string): Promise<void> {
  await takeBackTrafficObjects(ctx);
  await syncPrimaryConfigs(ctx, { onlyMissing: true });
  const spec = specOf(ctx);
  const namespace = namespaceOf(ctx);
  const existing = findWorkload(ctx.view, targetKindOf(ctx), namespace, primaryName(spec.targetRef.name));
  if (existing?.kind === 'Deployment') await takeBackFromEarlierCanary(ctx, clusterTypes.deployment, existing.object);
  if (existing?.kind === 'DaemonSet') await takeBackFromEarlierCanary(ctx, clusterTypes.daemonSet, existing.object);
  if (!existing) {
    const target = findWorkload(ctx.view, targetKindOf(ctx), namespace, spec.targetRef.name);
    if (!target)
      throw new ActionError('TargetNotFound', `${spec.targetRef.kind} ${namespace}/${spec.targetRef.name} not found`);
    await applyPrimary(ctx, target, undefined, revision);
  }
  await reconcilePrimaryAutoscaler(ctx, { onlyMissing: true });
}

/**
 * Copies the target's template to the primary. That the target still is `revision` is the action's precondition,
 * checked with the whole decision's before its first write (action-preconditions.ts).
 */
export async function promote(ctx: ExecutionContext, revision: string): Promise<void> {
  const spec = specOf(ctx);
  const namespace = namespaceOf(ctx);
  const target = findWorkload(ctx.view, targetKindOf(ctx), namespace, spec.targetRef.name);
  if (!target)
    throw new ActionError('TargetNotFound', `${spec.targetRef.kind} ${namespace}/${spec.targetRef.name} not found`);
  const existing = findWorkload(ctx.view, target.kind, namespace, primaryName(spec.targetRef.name));
  await applyPrimary(ctx, target, existing, revision);
  await reconcilePrimaryAutoscaler(ctx, { onlyMissing: false });
}

async function applyPrimary(
  ctx: ExecutionContext,
  target: Workload,
  existing: Workload | undefined,
  revision: string,
): Promise<void> {
  const common = {
    canary: builderCanary(ctx),
    selectorLabels: ctx.options.selectorLabels,
    includeLabelPrefixes: ctx.options.includeLabelPrefixes,
    trackedConfigs: ctx.observed.trackedConfigs.names,
    promotionId: promotionId(ctx, revision),
  };
  if (target.kind === 'Deployment') {
    const live = existing?.kind === 'Deployment' ? existing.object : undefined;
    const desired = markRevision(
      asResource(buildPrimaryDeployment({ ...common, target: target.object, existingPrimary: live })),
      revision,
    );
    await ctx.writer.apply(clusterTypes.deployment, desired, live);
    return;
  }
  const live = existing?.kind === 'DaemonSet' ? existing.object : undefined;
  const desired = markRevision(asResource(buildPrimaryDaemonSet({ ...common, target: target.object })), revision);
  await ctx.writer.apply(clusterTypes.daemonSet, desired, live);
}

function markRevision<T extends KubeObject>(workload: T, revision: string): T {
  const metadata = workload.metadata ?? {};
  return {
    ...workload,
    metadata: { ...metadata, annotations: { ...metadata.annotations, [PRIMARY_REVISION_ANNOTATION]: revision } },
  };
}

/**
 * The pod-template annotation that forces a primary rollout on every promotion (Flagger's random `flagger-id`).
 * Linnet derives it from the revision and the tracked configs, so it changes whenever either does — a ConfigMap
 * change alone still rolls the primary — while re-applying the same promotion (after a lost status write) is a no-op.
 */
function promotionId(ctx: ExecutionContext, revision: string): string {
  const configs = Object.entries(ctx.observed.trackedConfigs.checksums).sort(([a], [b]) => a.localeCompare(b));
  const source = JSON.stringify([ctx.canary.metadata?.uid ?? '', revision, configs]);
  return createHash('sha256').update(source).digest('hex').slice(0, 32);
}

/** The primary HPA `<autoscalerRef.name>-primary`; KEDA ScaledObjects are not supported yet (logged). */
async function reconcilePrimaryAutoscaler(ctx: ExecutionContext, options: { onlyMissing: boolean }): Promise<void> {
  const spec = specOf(ctx);
  const ref = spec.autoscalerRef;
  if (!ref) return;
  const namespace = namespaceOf(ctx);
  if (ref.kind !== 'HorizontalPodAutoscaler') {
    ctx.logger.warn('autoscalerRef kind is not supported; the primary gets no autoscaler', { kind: ref.kind });
    return;
  }
  const targetAutoscaler = ctx.view.get(clusterTypes.horizontalPodAutoscaler, namespace, ref.name);
  if (!targetAutoscaler) {
    throw new ActionError(
      'AutoscalerNotFound',
      `HorizontalPodAutoscaler ${namespace}/${ref.name} (spec.autoscalerRef) not found`,
    );
  }
  const live = ctx.view.get(clusterTypes.horizontalPodAutoscaler, namespace, primaryName(ref.name));
  if (live && options.onlyMissing) return takeBackFromEarlierCanary(ctx, clusterTypes.horizontalPodAutoscaler, live);
  const desired = asResource(
    buildPrimaryHorizontalPodAutoscaler({
      canary: builderCanary(ctx),
      targetAutoscaler,
      includeLabelPrefixes: ctx.options.includeLabelPrefixes,
    }),
  );
  await applyIfChanged(ctx.writer, clusterTypes.horizontalPodAutoscaler, desired, live);
}
