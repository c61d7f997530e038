import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import type { CustomMetadata } from '@linnet/api';
import {
  canaryIdentity,
  canaryOwnerReference,
  requireService,
  serviceNames,
  type BuilderCanary,
} from './canary-identity.ts';
import { GITOPS_OPT_OUT_ANNOTATIONS, withoutFluxToolkitKeys, withoutKeys } from './metadata-filters.ts';
import { mainServicePort } from './service-ports.ts';
import { primarySelectorValue, type SelectorLabel } from './selector-label.ts';

export type ServiceRole = 'apex' | 'primary' | 'canary';

export interface ServicesInput {
  canary: BuilderCanary;
  selector: SelectorLabel;
  /** From discoverServicePorts when `service.portDiscovery` is on. */
  discoveredPorts?: readonly V1ServicePort[];
  /**
   * Services that already exist without this Canary as controller (e.g. a user's apex Service). Like Flagger, Linnet
   * takes them over — selector and ports — but does not own, retype or relabel them, so deleting the Canary leaves
   * them in place.
   */
  adoptedServices?: readonly ServiceRole[];
}

/**
 * The three Services of reference §4: `<svc>-canary` selects the target pods, `<svc>-primary` and the apex `<svc>`
 * select the primary pods (`<value>-primary`).
 */
export function buildServices(input: ServicesInput): Record<ServiceRole, V1Service> {
  const service = requireService(input.canary);
  const names = serviceNames(service);
  const primaryPods = { [input.selector.key]: primarySelectorValue(input.selector) };
  const targetPods = { [input.selector.key]: input.selector.value };
  return {
    apex: buildService(input, 'apex', names.apex, primaryPods, service.apex),
    primary: buildService(input, 'primary', names.primary, primaryPods, service.primary),
    canary: buildService(input, 'canary', names.canary, targetPods, service.canary),
  };
}

function buildService(
  input: ServicesInput,
  role: ServiceRole,
  name: string,
  selector: Record<string, string>,
  custom: CustomMetadata | undefined,
): V1Service {
  const { canary } = input;
  const service = requireService(canary);
  const { namespace } = canaryIdentity(canary);
  const ports = [mainServicePort(service), ...(service.portDiscovery === true ? (input.discoveredPorts ?? []) : [])];
  const spec: NonNullable<V1Service['spec']> = { ports: ports.map((port) => ({ ...port })), selector };
  if (service.trafficDistribution !== undefined) spec.trafficDistribution = service.trafficDistribution;
  if (service.headless === true) spec.clusterIP = 'None';

  if (input.adoptedServices?.includes(role)) {
    return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
  }

  const unmanaged = service.unmanagedMetadata;
  const labels = withoutKeys(
    { ...withoutFluxToolkitKeys(custom?.labels), [input.selector.key]: name },
    unmanaged?.labels,
  );
  const annotations = withoutKeys(
    { ...withoutFluxToolkitKeys(custom?.annotations), ...GITOPS_OPT_OUT_ANNOTATIONS },
    unmanaged?.annotations,
  );
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels,
      annotations,
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: { type: 'ClusterIP', ...spec },
  };
}
