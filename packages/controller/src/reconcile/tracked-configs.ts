// The ConfigMaps and Secrets a target's pods use (reference §3.5): their checksums drive change detection, and
// their `-primary` copies are what the primary pods mount.
import type { V1PodSpec } from '@kubernetes/client-node';
import { configChecksum } from '@linnet/core';
import { listConfigReferences, NO_TRACKED_CONFIGS, type TrackedConfigNames } from '../builders/index.ts';
import type { ConfigMapResource, SecretResource } from './cluster-types.ts';

/** Opt-out annotation: a value starting with "disable" keeps the object out of tracking (Flagger's). */
export const CONFIG_TRACKING_ANNOTATION = 'flagger.app/config-tracking';

/** Registry credentials and service-account tokens are not configuration; Flagger tracks only these types. */
const TRACKED_SECRET_TYPES = new Set([
  '',
  'Opaque',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'kubernetes.io/tls',
]);

export interface TrackedConfigs {
  names: TrackedConfigNames;
  /** "configmap/<name>" / "secret/<name>" → checksum (Observation.configChecksums). */
  checksums: Record<string, string>;
  configMaps: ConfigMapResource[];
  secrets: SecretResource[];
}

export const NO_TRACKED_CONFIGS_FOUND: TrackedConfigs = {
  names: NO_TRACKED_CONFIGS,
  checksums: {},
  configMaps: [],
  secrets: [],
};

export interface ConfigLookup {
  configMap(name: string): ConfigMapResource | undefined;
  secret(name: string): SecretResource | undefined;
}

export class TrackedConfigMissingError extends Error {
  readonly reason = 'TrackedConfigNotFound';
  constructor(message: string) {
    super(message);
    this.name = 'TrackedConfigMissingError';
  }
}

/**
 * The tracked configs of a pod spec, read from the caches. A missing optional reference is skipped; a missing
 * mandatory one throws TrackedConfigMissingError (the pods could not start either).
 */
export function trackedConfigsOf(podSpec: V1PodSpec | undefined, lookup: ConfigLookup): TrackedConfigs {
  const configMapNames = new Set<string>();
  const secretNames = new Set<string>();
  const checksums: Record<string, string> = {};
  const configMaps: ConfigMapResource[] = [];
  const secrets: SecretResource[] = [];
  for (const reference of listConfigReferences(podSpec)) {
    const object = reference.kind === 'ConfigMap' ? lookup.configMap(reference.name) : lookup.secret(reference.name);
    if (!object) {
      if (reference.optional) continue;
      throw new TrackedConfigMissingError(`${reference.kind} ${reference.name} used by the target not found`);
    }
    if (object.metadata?.annotations?.[CONFIG_TRACKING_ANNOTATION]?.startsWith('disable')) continue;
    if (reference.kind === 'ConfigMap') {
      const configMap = object as ConfigMapResource;
      configMapNames.add(reference.name);
      configMaps.push(configMap);
      checksums[`configmap/${reference.name}`] = configChecksum(configMap.data);
    } else {
      const secret = object as SecretResource;
      if (!TRACKED_SECRET_TYPES.has(secret.type ?? '')) continue;
      secretNames.add(reference.name);
      secrets.push(secret);
      checksums[`secret/${reference.name}`] = configChecksum(secret.data);
    }
  }
  return { names: { configMaps: configMapNames, secrets: secretNames }, checksums, configMaps, secrets };
}
