import type { KubeObject } from './kube-object.ts';

/**
 * Everything needed to address a resource over REST without discovery. `T` is a phantom type: it only tells the
 * compiler what objects of this resource look like.
 */
export interface ResourceType<T extends KubeObject = KubeObject> {
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural used in URLs, e.g. "deployments". */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Never set: carries `T` for inference. */
  readonly __object?: T;
}

export function defineResourceType<T extends KubeObject = KubeObject>(
  definition: Omit<ResourceType<T>, '__object'>,
): ResourceType<T> {
  return Object.freeze({ ...definition });
}

/** "apps/v1", or "v1" for the core group. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** A short, stable name for logs and metric labels, e.g. "deployments.apps" or "configmaps". */
export function resourceName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** The resources Linnet reads or writes. */
export const resourceTypes = {
  canary: defineResourceType({
    group: 'flagger.app',
    version: 'v1beta1',
    kind: 'Canary',
    plural: 'canaries',
    namespaced: true,
  }),
  metricTemplate: defineResourceType({
    group: 'flagger.app',
    version: 'v1beta1',
    kind: 'MetricTemplate',
    plural: 'metrictemplates',
    namespaced: true,
  }),
  alertProvider: defineResourceType({
    group: 'flagger.app',
    version: 'v1beta1',
    kind: 'AlertProvider',
    plural: 'alertproviders',
    namespaced: true,
  }),
  deployment: defineResourceType({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  }),
  daemonSet: defineResourceType({
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
  }),
  configMap: defineResourceType({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
  }),
  secret: defineResourceType({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }),
  service: defineResourceType({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true }),
  namespace: defineResourceType({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  }),
  pod: defineResourceType({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true }),
  virtualService: defineResourceType({
    group: 'networking.istio.io',
    version: 'v1beta1',
    kind: 'VirtualService',
    plural: 'virtualservices',
    namespaced: true,
  }),
  destinationRule: defineResourceType({
    group: 'networking.istio.io',
    version: 'v1beta1',
    kind: 'DestinationRule',
    plural: 'destinationrules',
    namespaced: true,
  }),
  horizontalPodAutoscaler: defineResourceType({
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
  }),
  lease: defineResourceType({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
  }),
  event: defineResourceType({
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
  }),
  customResourceDefinition: defineResourceType({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  }),
} as const;
