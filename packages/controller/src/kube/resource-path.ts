import type { ObjectLocator } from './kube-object.ts';
import type { ResourceType } from './resource-type.ts';

// REST paths per https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris

function groupVersionPath(type: ResourceType): string {
  return type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
}

/** The collection URL; without a namespace, a namespaced resource is listed across all namespaces. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const base = groupVersionPath(type);
  if (type.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`;
  return `${base}/${type.plural}`;
}

export function objectPath(type: ResourceType, locator: ObjectLocator, subresource?: string): string {
  if (type.namespaced && !locator.namespace) {
    throw new TypeError(`${type.kind} ${locator.name}: a namespaced resource needs a namespace`);
  }
  const path = `${collectionPath(type, locator.namespace)}/${encodeURIComponent(locator.name)}`;
  return subresource ? `${path}/${subresource}` : path;
}
