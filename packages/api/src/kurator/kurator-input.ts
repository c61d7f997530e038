import { asArray, asObject, type RawObject } from '../validation/raw-value.ts';
import type { PathSegment } from '../validation/validation-problem.ts';
import { ROLLOUT_CONFIG_KEYS, ROLLOUT_POLICY_KEYS } from './kurator-rollout-schema.ts';

// Kurator users hold their rollout settings in three shapes: a whole Application, one syncPolicies[].rollout, or
// just its rolloutPolicy (possibly with rollout-level fields such as testLoader or port next to it, which is how
// the linnet.dev/rollout-policy annotation carries them). This module finds the rollout configs in any of them.

export const KURATOR_APPLICATION_API_VERSION = 'apps.kurator.dev/v1alpha1';

export interface LocatedRolloutConfig {
  /** Where the config was found in the input, e.g. ["spec", "syncPolicies", 0, "rollout"]; [] for the input itself. */
  path: PathSegment[];
  /** A rollout config (the rolloutPolicy under `rolloutPolicy`), not yet validated. */
  config: RawObject;
}

export type KuratorInputShape = 'Application' | 'RolloutConfig' | 'RolloutPolicy';

export interface LocatedRolloutConfigs {
  shape: KuratorInputShape | undefined;
  configs: LocatedRolloutConfig[];
  /** Why nothing was found, when `configs` is empty. */
  problem?: string;
}

function isApplication(object: RawObject): boolean {
  return object.kind === 'Application' || asArray(asObject(object.spec)?.syncPolicies) !== undefined;
}

/** Splits a bare rolloutPolicy that carries rollout-level fields into the rollout config Kurator would hold. */
function asRolloutConfig(policyWithExtras: RawObject): RawObject {
  const config: Record<string, unknown> = {};
  const policy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(policyWithExtras)) {
    if (ROLLOUT_CONFIG_KEYS.includes(key)) config[key] = value;
    else policy[key] = value;
  }
  return { ...config, rolloutPolicy: policy };
}

export function locateRolloutConfigs(input: unknown): LocatedRolloutConfigs {
  const object = asObject(input);
  if (!object) {
    return {
      shape: undefined,
      configs: [],
      problem: 'must be an object (an Application, a rollout or a rolloutPolicy)',
    };
  }
  if (isApplication(object)) {
    const policies = asArray(asObject(object.spec)?.syncPolicies) ?? [];
    const configs: LocatedRolloutConfig[] = [];
    policies.forEach((policy, index) => {
      const rollout = asObject(asObject(policy)?.rollout);
      if (rollout) configs.push({ path: ['spec', 'syncPolicies', index, 'rollout'], config: rollout });
    });
    return configs.length > 0
      ? { shape: 'Application', configs }
      : { shape: 'Application', configs, problem: 'has no spec.syncPolicies[].rollout to convert' };
  }
  if ('rolloutPolicy' in object) return { shape: 'RolloutConfig', configs: [{ path: [], config: object }] };
  if (ROLLOUT_POLICY_KEYS.some((key) => key in object)) {
    return { shape: 'RolloutPolicy', configs: [{ path: [], config: asRolloutConfig(object) }] };
  }
  return {
    shape: undefined,
    configs: [],
    problem:
      'is not a Kurator Application, rollout or rolloutPolicy (expected spec.syncPolicies, rolloutPolicy, ' +
      'trafficAnalysis or trafficRouting)',
  };
}
