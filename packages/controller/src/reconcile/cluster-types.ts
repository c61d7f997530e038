// The Kubernetes objects the reconcile loop reads and writes, typed over Linnet's plain-JSON KubeObject, and the
// resource types that address them.
import type {
  V1ConfigMap,
  V1DaemonSet,
  V1Deployment,
  V1Secret,
  V1Service,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { CanarySpec, CanaryStatus, MetricTemplateSpec } from '@linnet/api';
import type { DestinationRule, VirtualService } from '../builders/index.ts';
import { defineResourceType, resourceTypes, type KubeObject, type ResourceType } from '../kube/index.ts';

export interface CanaryResource extends KubeObject {
  spec: CanarySpec;
  status?: CanaryStatus;
}

export type DeploymentResource = V1Deployment & KubeObject;
export type DaemonSetResource = V1DaemonSet & KubeObject;
export type ConfigMapResource = V1ConfigMap & KubeObject;
export type SecretResource = V1Secret & KubeObject;
export type ServiceResource = V1Service & KubeObject;
export type HorizontalPodAutoscalerResource = V2HorizontalPodAutoscaler & KubeObject;
export type VirtualServiceResource = VirtualService & KubeObject;
export type DestinationRuleResource = DestinationRule & KubeObject;

export interface MetricTemplateResource extends KubeObject {
  spec: MetricTemplateSpec;
}

/** The workload a Canary rolls out, with its kind so callers can branch on it. */
export type Workload =
  { kind: 'Deployment'; object: DeploymentResource } | { kind: 'DaemonSet'; object: DaemonSetResource };

export const clusterTypes = {
  canary: defineResourceType<CanaryResource>(resourceTypes.canary),
  deployment: defineResourceType<DeploymentResource>(resourceTypes.deployment),
  daemonSet: defineResourceType<DaemonSetResource>(resourceTypes.daemonSet),
  configMap: defineResourceType<ConfigMapResource>(resourceTypes.configMap),
  secret: defineResourceType<SecretResource>(resourceTypes.secret),
  service: defineResourceType<ServiceResource>(resourceTypes.service),
  horizontalPodAutoscaler: defineResourceType<HorizontalPodAutoscalerResource>(resourceTypes.horizontalPodAutoscaler),
  virtualService: defineResourceType<VirtualServiceResource>(resourceTypes.virtualService),
  destinationRule: defineResourceType<DestinationRuleResource>(resourceTypes.destinationRule),
  metricTemplate: defineResourceType<MetricTemplateResource>(resourceTypes.metricTemplate),
} as const satisfies Record<string, ResourceType>;

export type ClusterTypeName = keyof typeof clusterTypes;

/**
 * Builders return client-node types, whose timestamps are typed as Dates. They never set timestamps, so what they
 * build is plain JSON and a KubeObject as it stands.
 */
export function asResource<T extends object>(built: T): T & KubeObject {
  return built as T & KubeObject;
}
