import type { V1Container, V1PodSpec } from '@kubernetes/client-node';

/** Names of the ConfigMaps and Secrets whose `-primary` copies the primary pods use. */
export interface TrackedConfigNames {
  configMaps: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
}

export interface ConfigReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** `optional: true` on the reference: a missing object is skipped, not an error. */
  optional: boolean;
}

export const NO_TRACKED_CONFIGS: TrackedConfigNames = { configMaps: new Set(), secrets: new Set() };

/**
 * Every ConfigMap and Secret a pod spec refers to, in the places Flagger's config tracker scans: volumes (including
 * projected sources), and env / envFrom of containers and init containers. Duplicates are reported once.
 */
export function listConfigReferences(podSpec: V1PodSpec | undefined): ConfigReference[] {
  const found = new Map<string, ConfigReference>();
  const add = (kind: ConfigReference['kind'], name: string | undefined, optional: boolean | undefined): void => {
    if (!name) return;
    const key = `${kind}/${name}`;
    const previous = found.get(key);
    // A reference that is mandatory anywhere is mandatory.
    found.set(key, { kind, name, optional: (previous?.optional ?? true) && optional === true });
  };
  for (const volume of podSpec?.volumes ?? []) {
    add('ConfigMap', volume.configMap?.name, volume.configMap?.optional);
    add('Secret', volume.secret?.secretName, volume.secret?.optional);
    for (const source of volume.projected?.sources ?? []) {
      add('ConfigMap', source.configMap?.name, source.configMap?.optional);
      add('Secret', source.secret?.name, source.secret?.optional);
    }
  }
  for (const container of allContainers(podSpec)) {
    for (const env of container.env ?? []) {
      add('ConfigMap', env.valueFrom?.configMapKeyRef?.name, env.valueFrom?.configMapKeyRef?.optional);
      add('Secret', env.valueFrom?.secretKeyRef?.name, env.valueFrom?.secretKeyRef?.optional);
    }
    for (const source of container.envFrom ?? []) {
      add('ConfigMap', source.configMapRef?.name, source.configMapRef?.optional);
      add('Secret', source.secretRef?.name, source.secretRef?.optional);
    }
  }
  return [...found.values()];
}

/** Rewrites, in place, references to tracked ConfigMaps and Secrets to their `<name>-primary` copies. */
export function renameTrackedConfigReferences(podSpec: V1PodSpec, tracked: TrackedConfigNames): void {
  const configMap = (name: string | undefined): string | undefined =>
    name !== undefined && tracked.configMaps.has(name) ? `${name}-primary` : name;
  const secret = (name: string | undefined): string | undefined =>
    name !== undefined && tracked.secrets.has(name) ? `${name}-primary` : name;

  for (const volume of podSpec.volumes ?? []) {
    if (volume.configMap) volume.configMap.name = configMap(volume.configMap.name);
    if (volume.secret) volume.secret.secretName = secret(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap) source.configMap.name = configMap(source.configMap.name);
      if (source.secret) source.secret.name = secret(source.secret.name);
    }
  }
  for (const container of allContainers(podSpec)) {
    for (const env of container.env ?? []) {
      const configMapKeyRef = env.valueFrom?.configMapKeyRef;
      if (configMapKeyRef) configMapKeyRef.name = configMap(configMapKeyRef.name);
      const secretKeyRef = env.valueFrom?.secretKeyRef;
      if (secretKeyRef) secretKeyRef.name = secret(secretKeyRef.name);
    }
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) source.configMapRef.name = configMap(source.configMapRef.name);
      if (source.secretRef) source.secretRef.name = secret(source.secretRef.name);
    }
  }
}

function allContainers(podSpec: V1PodSpec | undefined): V1Container[] {
  return [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
}
