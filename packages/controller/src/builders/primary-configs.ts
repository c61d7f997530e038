import type { V1ConfigMap, V1ObjectMeta, V1Secret } from '@kubernetes/client-node';
import { canaryIdentity, canaryOwnerReference, primaryName, type BuilderCanary } from './canary-identity.ts';
import { labelsWithIncludedPrefixes, nonEmpty } from './metadata-filters.ts';

export interface PrimaryConfigInput<T> {
  canary: BuilderCanary;
  source: T;
  includeLabelPrefixes: readonly string[];
}

/** `<name>-primary` copy of a tracked ConfigMap: same data, labels filtered by include prefix, owned by the Canary. */
export function buildPrimaryConfigMap(input: PrimaryConfigInput<V1ConfigMap>): V1ConfigMap {
  const { source } = input;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: copyMetadata(input, source.metadata),
    ...(source.data !== undefined && { data: { ...source.data } }),
    ...(source.binaryData !== undefined && { binaryData: { ...source.binaryData } }),
  };
}

/** `<name>-primary` copy of a tracked Secret: same type and data. */
export function buildPrimarySecret(input: PrimaryConfigInput<V1Secret>): V1Secret {
  const { source } = input;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: copyMetadata(input, source.metadata),
    ...(source.type !== undefined && { type: source.type }),
    ...(source.data !== undefined && { data: { ...source.data } }),
  };
}

function copyMetadata(input: PrimaryConfigInput<unknown>, source: V1ObjectMeta | undefined): V1ObjectMeta {
  const labels = nonEmpty(labelsWithIncludedPrefixes(source?.labels, input.includeLabelPrefixes));
  return {
    name: primaryName(source?.name ?? ''),
    namespace: canaryIdentity(input.canary).namespace,
    ...(labels !== undefined && { labels }),
    ownerReferences: [canaryOwnerReference(input.canary)],
  };
}
