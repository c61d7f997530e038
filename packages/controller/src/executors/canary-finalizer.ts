// Linnet's finalizer on the Canary (reference §3.7): present while revertOnDeletion is on, so a deletion waits
// until the target is restored. Patched with the resourceVersion as a precondition.
import { clusterTypes } from '../reconcile/cluster-types.ts';
import { CANARY_FINALIZER } from '../reconcile/observe-canary.ts';
import type { ExecutionContext } from './execution-context.ts';

export async function setFinalizer(ctx: ExecutionContext, present: boolean): Promise<void> {
  const finalizers = ctx.canary.metadata?.finalizers ?? [];
  if (finalizers.includes(CANARY_FINALIZER) === present) return;
  const next = present ? [...finalizers, CANARY_FINALIZER] : finalizers.filter((name) => name !== CANARY_FINALIZER);
  ctx.canary = await ctx.writer.mergePatch(clusterTypes.canary, ctx.canary, {
    metadata: { finalizers: next, resourceVersion: ctx.canary.metadata?.resourceVersion },
  });
}
