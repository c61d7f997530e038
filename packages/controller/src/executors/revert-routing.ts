// revertOnDeletion (reference §3.7): objects the Canary owns are garbage-collected with it; objects Linnet only
// took over — a user's apex Service or VirtualService — are given back as they were before Linnet.
import { isControlledBy } from '../kube/index.ts';
import { clusterTypes, type VirtualServiceResource } from '../reconcile/cluster-types.ts';
import { namespaceOf, specOf, type ExecutionContext } from './execution-context.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ORIGINAL_CONFIGURATION = 'flagger.kubernetes.io/original-configuration';

export async function revertRouting(ctx: ExecutionContext): Promise<void> {
  const spec = specOf(ctx);
  const namespace = namespaceOf(ctx);
  const apex = spec.service?.name ?? spec.targetRef.name;
  const selector = ctx.observed.selector;

  const service = ctx.view.get(clusterTypes.service, namespace, apex);
  if (service && !isControlledBy(service, ctx.canary)) {
    // Point the user's Service back at the target's pods.
    await ctx.writer.mergePatch(clusterTypes.service, service, {
      spec: { selector: { [selector.key]: selector.value } },
    });
  }

  const virtualService = ctx.view.get(clusterTypes.virtualService, namespace, apex);
  if (virtualService && !isControlledBy(virtualService, ctx.canary)) {
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

function originalSpecOf(virtualService: VirtualServiceResource): Record<string, unknown> | undefined {
  const annotations = virtualService.metadata?.annotations ?? {};
  for (const key of [LAST_APPLIED, ORIGINAL_CONFIGURATION]) {
    const text = annotations[key];
    if (!text) continue;
    try {
      const parsed = JSON.parse(text) as { spec?: Record<string, unknown> } & Record<string, unknown>;
      return key === LAST_APPLIED ? parsed.spec : (parsed.spec ?? parsed);
    } catch {
      // An unreadable annotation is no record.
    }
  }
  return undefined;
}
