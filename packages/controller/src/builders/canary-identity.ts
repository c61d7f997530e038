import type { V1OwnerReference } from '@kubernetes/client-node';
import { GROUP_VERSION, type DefaultedCanarySpec, type DefaultedCanaryService, type ObjectMeta } from '@linnet/api';
import { controllerReferenceTo } from '../kube/owner-reference.ts';
import { BuilderError } from './builder-error.ts';

/** The Canary as the builders see it: its identity and its spec with Flagger's defaults applied. */
export interface BuilderCanary {
  metadata: Pick<ObjectMeta, 'name' | 'namespace' | 'uid'>;
  spec: DefaultedCanarySpec;
}

export interface CanaryIdentity {
  name: string;
  namespace: string;
  uid: string;
}

export function canaryIdentity(canary: BuilderCanary): CanaryIdentity {
  const { name, namespace, uid } = canary.metadata;
  if (!name || !namespace || !uid) {
    throw new BuilderError(
      'CanaryIdentityIncomplete',
      `Canary ${namespace ?? '?'}/${name ?? '?'} has no ${!uid ? 'uid' : 'name or namespace'}; read it from the API server`,
    );
  }
  return { name, namespace, uid };
}

/** Every generated object is controlled by its Canary, so Kubernetes garbage collection removes it with the Canary. */
export function canaryOwnerReference(canary: BuilderCanary): V1OwnerReference {
  const { name, uid } = canaryIdentity(canary);
  return controllerReferenceTo({ apiVersion: GROUP_VERSION, kind: 'Canary', metadata: { name, uid } });
}

export function primaryName(name: string): string {
  return `${name}-primary`;
}

export interface ServiceNames {
  /** `spec.service.name`, defaulting to the target name: the apex Service and the VirtualService. */
  apex: string;
  primary: string;
  canary: string;
}

export function serviceNames(service: Pick<DefaultedCanaryService, 'name'>): ServiceNames {
  return { apex: service.name, primary: `${service.name}-primary`, canary: `${service.name}-canary` };
}

export function requireService(canary: BuilderCanary): DefaultedCanaryService {
  if (canary.spec.service === undefined) {
    const { namespace, name } = canary.metadata;
    throw new BuilderError('ServiceSpecMissing', `Canary ${namespace ?? ''}/${name ?? ''} has no spec.service`);
  }
  return canary.spec.service;
}
