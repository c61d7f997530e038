// Pure builders of the objects Linnet applies with server-side apply, and the reader of live Istio weights.
export { BuilderError } from './builder-error.ts';
export type { BuilderErrorReason } from './builder-error.ts';
export { canaryIdentity, canaryOwnerReference, primaryName, serviceNames } from './canary-identity.ts';
export type { BuilderCanary, CanaryIdentity, ServiceNames } from './canary-identity.ts';
export { listConfigReferences, NO_TRACKED_CONFIGS, renameTrackedConfigReferences } from './config-references.ts';
export type { ConfigReference, TrackedConfigNames } from './config-references.ts';
export { buildDestinationRules } from './destination-rules.ts';
export type { DestinationRulesInput } from './destination-rules.ts';
export { ISTIO_NETWORKING_API_VERSION } from './istio-types.ts';
export type {
  DestinationRule,
  HttpRouteDestination,
  IstioDestination,
  IstioHttpMatchRequest,
  IstioHttpRoute,
  IstioTcpRoute,
  VirtualService,
  VirtualServiceSpec,
} from './istio-types.ts';
export { copyableAnnotations, isFluxToolkitKey, labelsWithIncludedPrefixes } from './metadata-filters.ts';
export { buildPrimaryHorizontalPodAutoscaler } from './primary-autoscaler.ts';
export type { PrimaryAutoscalerInput } from './primary-autoscaler.ts';
export { buildPrimaryConfigMap, buildPrimarySecret } from './primary-configs.ts';
export type { PrimaryConfigInput } from './primary-configs.ts';
export {
  buildPrimaryPodTemplate,
  DAEMONSET_SCALE_TO_ZERO_NODE_SELECTOR,
  PROMOTION_ID_ANNOTATION,
} from './primary-pod-template.ts';
export type { PrimaryPodTemplateInput } from './primary-pod-template.ts';
export { buildPrimaryDaemonSet, buildPrimaryDeployment } from './primary-workload.ts';
export type { PrimaryDaemonSetInput, PrimaryDeploymentInput, PrimaryWorkloadOptions } from './primary-workload.ts';
export { readRoutes } from './read-routes.ts';
export type { LiveRoutes } from './read-routes.ts';
export { DEFAULT_SELECTOR_LABELS, findSelectorLabel, primarySelectorValue } from './selector-label.ts';
export type { SelectorLabel } from './selector-label.ts';
export { discoverServicePorts, mainServicePort } from './service-ports.ts';
export { buildServices } from './services.ts';
export type { ServiceRole, ServicesInput } from './services.ts';
export {
  cookieMatchRegex,
  expireCookieHeader,
  newSessionAffinityCookie,
  setCookieHeader,
} from './session-affinity-cookies.ts';
export { buildVirtualService, mergeMatchConditions } from './virtual-service.ts';
export type { RouteWeights, SessionAffinityCookies, VirtualServiceInput } from './virtual-service.ts';
