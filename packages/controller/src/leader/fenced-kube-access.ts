// Every Kubernetes write of the controller goes through this fence: a write is sent only inside an active leader
// term, carries the term's signal (so losing the Lease aborts it in flight), and is counted per verb and resource.
// Reads are not fenced: a standby keeps its caches warm. The leader election itself uses the unfenced access.
import type { KubeAccess, ResourceType } from '../kube/index.ts';
import { resourceName } from '../kube/index.ts';
import { LeadershipLostError, type LeadershipTerm } from './leadership-term.ts';

export type KubeWriteVerb = 'create' | 'apply' | 'replace' | 'replaceStatus' | 'mergePatch' | 'delete';

export interface WriteFenceObserver {
  /** A write is about to be sent. */
  onWrite(verb: KubeWriteVerb, resource: string): void;
  /** A write was refused because no term is active. */
  onRefused(verb: KubeWriteVerb, resource: string, error: LeadershipLostError): void;
}

/** A KubeAccess whose writes need the term `currentTerm()` returns (undefined: not leading, every write refused). */
export function fencedKubeAccess(
  access: KubeAccess,
  currentTerm: () => LeadershipTerm | undefined,
  observer: WriteFenceObserver,
): KubeAccess {
  const enter = <O extends { signal?: AbortSignal }>(
    verb: KubeWriteVerb,
    type: ResourceType,
    options: O | undefined,
  ): O & { signal: AbortSignal } => {
    const resource = resourceName(type);
    const term = currentTerm();
    try {
      if (!term) throw new LeadershipLostError('not leading');
      term.assertActive();
    } catch (error) {
      if (error instanceof LeadershipLostError) observer.onRefused(verb, resource, error);
      throw error;
    }
    observer.onWrite(verb, resource);
    const signal = options?.signal ? AbortSignal.any([options.signal, term.signal]) : term.signal;
    return { ...(options as O), signal };
  };
  return {
    get: (type, locator, options) => access.get(type, locator, options),
    list: (type, options) => access.list(type, options),
    watch: (type, options) => access.watch(type, options),
    create: async (type, object, options) => access.create(type, object, enter('create', type, options)),
    apply: async (type, object, options) => access.apply(type, object, enter('apply', type, options)),
    replace: async (type, object, options) => access.replace(type, object, enter('replace', type, options)),
    replaceStatus: async (type, object, options) =>
      access.replaceStatus(type, object, enter('replaceStatus', type, options)),
    mergePatch: async (type, locator, patch, options) =>
      access.mergePatch(type, locator, patch, enter('mergePatch', type, options)),
    delete: async (type, locator, options) => access.delete(type, locator, enter('delete', type, options)),
  };
}
