// The minimal, library-independent shape of a Kubernetes object as Linnet's shell handles it: plain JSON as the API
// server sent it (timestamps are strings, unknown fields are kept).

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  /** Fields Linnet does not name are kept as the server sent them (and match @linnet/api's loose ObjectMeta). */
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Where an object lives: `namespace` is absent for cluster-scoped resources. */
export interface ObjectLocator {
  namespace?: string;
  name: string;
}

/** The store/queue key of an object: "namespace/name", or "name" when cluster-scoped (client-go's convention). */
export function objectKey(locator: ObjectLocator): string {
  return locator.namespace ? `${locator.namespace}/${locator.name}` : locator.name;
}

export function objectKeyOf(object: KubeObject): string {
  return objectKey(locatorOf(object));
}

/** Inverse of {@link objectKey}. */
export function parseObjectKey(key: string): ObjectLocator {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function locatorOf(object: KubeObject): ObjectLocator {
  const name = object.metadata?.name;
  if (!name) throw new TypeError('object has no metadata.name');
  const namespace = object.metadata?.namespace;
  return namespace ? { namespace, name } : { name };
}
