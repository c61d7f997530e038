// revertOnDeletion (reference §3.7): objects the Canary owns are garbage-collected with it; objects Linnet only
// took over — a user's apex Service or VirtualService — are given back as they were before Linnet.
import { clusterTypes } from '../reconcile/cluster-types.ts';
import { isGeneratedByThisCanary } from './canary-ownership.ts';
import { namespaceOf, specOf, type ExecutionContext } from './execution-context.ts';
import { originalSpecOf } from './original-configuration.ts';

export async function revertRouting(ctx: ExecutionContext): Promise<void> {
  const spec = specOf(ctx);
  const namespace = namespaceOf(ctx);
  const apex = spec.service?.name ?? spec.targetRef.name;
  const selector = ctx.observed.selector;

  const service = ctx.view.get(clusterTypes.service, namespace, apex);
  if (service && !isGeneratedByThisCanary(service, ctx)) {
    // Point the user's Service back at the target's pods.
    await ctx.writer.mergePatch(clusterTypes.service, service, {
      spec: { selector: { [selector.key]: selector.value } },
    });
  }

  const virtualService = ctx.view.get(clusterTypes.virtualService, namespace, apex);
  if (virtualService && !isGeneratedByThisCanary(virtualService, ctx)) {
    const original = originalSpecOf(virtualService);
    if (original) {
      await ctx.writer.mergePatch(clusterTypes.virtualService, virtualService, { spec: original });
    } else {
      ctx.logger.warn('VirtualService has no record of its original spec; leaving it as Linnet configured it', {
        virtualService: apex,
      });
    }
  }
}
