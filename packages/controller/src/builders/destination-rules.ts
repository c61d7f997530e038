import {
  canaryIdentity,
  canaryOwnerReference,
  requireService,
  serviceNames,
  type BuilderCanary,
} from './canary-identity.ts';
import { ISTIO_NETWORKING_API_VERSION, type DestinationRule } from './istio-types.ts';

export interface DestinationRulesInput {
  canary: BuilderCanary;
  /** False when the mesh runs in another cluster (owner references cannot cross clusters). Default true. */
  setOwnerReferences?: boolean;
}

/**
 * `<svc>-primary` and `<svc>-canary` DestinationRules (reference §5.1): host = name, `service.trafficPolicy` copied
 * verbatim, no subsets — traffic is split by host, not by subset.
 */
export function buildDestinationRules(input: DestinationRulesInput): {
  primary: DestinationRule;
  canary: DestinationRule;
} {
  const service = requireService(input.canary);
  const names = serviceNames(service);
  const build = (host: string): DestinationRule => ({
    apiVersion: ISTIO_NETWORKING_API_VERSION,
    kind: 'DestinationRule',
    metadata: {
      name: host,
      namespace: canaryIdentity(input.canary).namespace,
      ...(input.setOwnerReferences !== false && { ownerReferences: [canaryOwnerReference(input.canary)] }),
    },
    spec: {
      host,
      ...(service.trafficPolicy !== undefined && { trafficPolicy: structuredClone(service.trafficPolicy) }),
    },
  });
  return { primary: build(names.primary), canary: build(names.canary) };
}
