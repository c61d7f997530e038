// Checks the preconditions the core attached to a decision's actions (TargetPreconditions) against the caches as
// they are now — after the checks, which may have taken seconds — before the decision's first write.
import { configChecksum, unmetPrecondition, type Action } from '@linnet/core';
import { clusterTypes } from '../reconcile/cluster-types.ts';
import { findWorkload, revisionOf } from '../reconcile/observe-canary.ts';
import { namespaceOf, specOf, targetKindOf, type ExecutionContext } from './execution-context.ts';

/** Why the decision must not be carried out, or undefined when every precondition holds. */
export function unmetActionPrecondition(ctx: ExecutionContext, actions: readonly Action[]): string | undefined {
  const namespace = namespaceOf(ctx);
  const target = findWorkload(ctx.view, targetKindOf(ctx), namespace, specOf(ctx).targetRef.name);
  return unmetPrecondition(actions, {
    revision: target && revisionOf(target),
    configChecksum: (key) => {
      const [type, name = ''] = key.split('/', 2);
      if (type === 'configmap') {
        const configMap = ctx.view.get(clusterTypes.configMap, namespace, name);
        return configMap && configChecksum(configMap.data);
      }
      const secret = ctx.view.get(clusterTypes.secret, namespace, name);
      return secret && configChecksum(secret.data);
    },
  });
}
