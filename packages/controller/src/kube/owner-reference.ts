import type { KubeObject, OwnerReference } from './kube-object.ts';

/**
 * The reference that makes `owner` the managing controller of another object, so Kubernetes garbage collection
 * deletes the object with its owner (Flagger sets one on everything it generates).
 */
export function controllerReferenceTo(owner: KubeObject): OwnerReference {
  const { apiVersion, kind } = owner;
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!apiVersion || !kind || !name || !uid) {
    throw new TypeError('an owner needs apiVersion, kind, metadata.name and metadata.uid (read it from the API first)');
  }
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The managing controller's reference, if the object has one. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((reference) => reference.controller === true);
}

/** True when `owner` (matched by uid) is the managing controller of `object`. */
export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && controllerOf(object)?.uid === uid;
}
