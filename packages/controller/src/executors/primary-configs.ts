// `<name>-primary` copies of the tracked ConfigMaps and Secrets (reference §3.5): created with the primary, and
// brought up to date on every promotion (syncPrimaryConfigs), never in between — the primary keeps serving the
// configuration it was promoted with while a changed one is analysed on the canary.
import { buildPrimaryConfigMap, buildPrimarySecret } from '../builders/index.ts';
import { asResource, clusterTypes } from '../reconcile/cluster-types.ts';
import { applyIfChanged } from './apply-if-changed.ts';
import { takeBackFromEarlierCanary } from './canary-ownership.ts';
import { builderCanary, namespaceOf, type ExecutionContext } from './execution-context.ts';

/**
 * Copies every tracked config to its `-primary` copy; `onlyMissing` creates absent copies and leaves others as they
 * are (only taking back those an earlier Canary of the same name left).
 */
export async function syncPrimaryConfigs(ctx: ExecutionContext, options: { onlyMissing: boolean }): Promise<void> {
  const canary = builderCanary(ctx);
  const namespace = namespaceOf(ctx);
  const includeLabelPrefixes = ctx.options.includeLabelPrefixes;
  for (const source of ctx.observed.trackedConfigs.configMaps) {
    const desired = asResource(buildPrimaryConfigMap({ canary, source, includeLabelPrefixes }));
    const live = ctx.view.get(clusterTypes.configMap, namespace, desired.metadata?.name ?? '');
    if (live && options.onlyMissing) {
      await takeBackFromEarlierCanary(ctx, clusterTypes.configMap, live);
      continue;
    }
    await applyIfChanged(ctx.writer, clusterTypes.configMap, desired, live);
  }
  for (const source of ctx.observed.trackedConfigs.secrets) {
    const desired = asResource(buildPrimarySecret({ canary, source, includeLabelPrefixes }));
    const live = ctx.view.get(clusterTypes.secret, namespace, desired.metadata?.name ?? '');
    if (live && options.onlyMissing) {
      await takeBackFromEarlierCanary(ctx, clusterTypes.secret, live);
      continue;
    }
    await applyIfChanged(ctx.writer, clusterTypes.secret, desired, live);
  }
}
