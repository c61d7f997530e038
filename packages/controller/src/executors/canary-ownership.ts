// Objects a Canary generates stay its own across a delete and re-apply (GitOps prune and re-sync, kubectl replace):
// an object whose controller is an earlier Canary of the same name — gone, or about to be garbage-collected — is
// taken back with an owner reference to the current one, never treated as a user's object to leave unowned.
import type { KubeObject, ResourceType } from '../kube/index.ts';
import { controllerOf, controllerReferenceTo, NotFoundError } from '../kube/index.ts';
import type { ExecutionContext } from './execution-context.ts';

/** The Canary, or an earlier Canary of the same name, is the object's controller. */
export function isGeneratedByThisCanary(object: KubeObject, ctx: ExecutionContext): boolean {
  const controller = controllerOf(object);
  return controller?.kind === 'Canary' && controller.name === ctx.canary.metadata?.name;
}

/** True when an earlier Canary of the same name (another uid) controls the object. */
function isFromEarlierCanary(object: KubeObject, ctx: ExecutionContext): boolean {
  return isGeneratedByThisCanary(object, ctx) && controllerOf(object)?.uid !== ctx.canary.metadata?.uid;
}

/**
 * Re-points the owner reference of an object left by an earlier Canary of the same name at this one, before garbage
 * collection deletes it; nothing else of the object changes (a merge patch of ownerReferences alone).
 */
export async function takeBackFromEarlierCanary<T extends KubeObject>(
  ctx: ExecutionContext,
  type: ResourceType<T>,
  live: T | undefined,
): Promise<void> {
  if (!live || !isFromEarlierCanary(live, ctx)) return;
  try {
    await ctx.writer.mergePatch(type, live, {
      metadata: { ownerReferences: [controllerReferenceTo(ctx.canary)] },
    });
  } catch (error) {
    // Garbage collection was first: nothing to take back; the core sees what is missing and creates it again.
    if (error instanceof NotFoundError) return;
    throw error;
  }
  ctx.logger.info('took over an object left by an earlier Canary of the same name', {
    kind: live.kind ?? type.kind,
    object: live.metadata?.name,
  });
}
