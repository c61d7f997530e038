// The preconditions carried by a decision's actions (decision.ts TargetPreconditions), and the one check both shells
// — the controller's executors and the simulated world — run before a decision's first write.
import type { Action, TargetPreconditions } from './decision.ts';
import type { Observation } from './observation.ts';

/** What the target is now, as the shell sees it just before acting. */
export interface CurrentTarget {
  /** podTemplateHash of the target now; undefined if it is gone. */
  readonly revision: string | undefined;
  /** Checksum of a tracked config now; undefined if it is gone. */
  readonly configChecksum: (key: string) => string | undefined;
}

/** Preconditions for actions that copy the analysed revision (status.lastAppliedSpec and its configs). */
export function analysedRevision(status: Observation['status'], observation: Observation): TargetPreconditions {
  return {
    targetRevision: status.lastAppliedSpec ?? observation.targetHash,
    configChecksums: { ...(status.trackedConfigs ?? observation.configChecksums) },
  };
}

/** Preconditions for actions that copy the target as observed. */
export function observedTarget(observation: Observation): TargetPreconditions {
  return { targetRevision: observation.targetHash, configChecksums: { ...observation.configChecksums } };
}

/**
 * Why the decision must not be carried out (the first precondition of its actions that no longer holds), or
 * undefined when all hold.
 */
export function unmetPrecondition(actions: readonly Action[], current: CurrentTarget): string | undefined {
  for (const action of actions) {
    if (!('preconditions' in action)) continue;
    const { targetRevision, configChecksums } = action.preconditions;
    if (current.revision !== targetRevision) {
      const now = current.revision === undefined ? 'the target is gone' : `the target is now ${current.revision}`;
      return `${action.type} was decided for target revision ${targetRevision}, but ${now}`;
    }
    for (const [key, checksum] of Object.entries(configChecksums)) {
      const now = current.configChecksum(key);
      if (now !== checksum) {
        const change = now === undefined ? 'is gone' : `changed from ${checksum} to ${now}`;
        return `${action.type} was decided for ${key} ${checksum}, but it ${change}`;
      }
    }
  }
  return undefined;
}
