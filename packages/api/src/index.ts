// @linnet/api: the flagger.app/v1beta1 resource model (schemas, types, defaults, validation, CRD generation).
export * from './api-group.ts';
export * from './linnet-status.ts';
export * from './schema/object-meta.ts';
export * from './schema/condition.ts';
export * from './schema/istio-routing.ts';
export * from './schema/gateway-api.ts';
export * from './schema/canary-service.ts';
export * from './schema/canary-analysis.ts';
export * from './schema/canary.ts';
export * from './schema/metric-template.ts';
export * from './schema/alert-provider.ts';
export * from './duration.ts';
export * from './limits.ts';
export * from './flagger-defaults.ts';
export * from './canary-defaults.ts';
export type { ValidationProblem } from './validation/validation-problem.ts';
export { formatPath } from './validation/validation-problem.ts';
export { validateCanary, validateMetricTemplate, validateAlertProvider } from './validation/validate-resources.ts';
export { toOpenApiSchema, type OpenApiSchema } from './crd/openapi-schema.ts';
export {
  customResourceDefinitions,
  type CustomResourceDefinition,
  type PrinterColumn,
} from './crd/custom-resource-definitions.ts';
// Annotation opt-in and Kurator rolloutPolicy conversion.
export {
  ANNOTATION_PREFIX,
  MANAGED_BY_ANNOTATIONS_LABEL,
  OPT_IN_ANNOTATION,
  OPT_IN_ANNOTATIONS,
  OPT_IN_DEFAULTS,
  OPT_IN_DISABLED,
  OPT_IN_ENABLED,
  ROLLOUT_POLICY_ANNOTATION,
  type OptInAnnotationReference,
  type OptInSettings,
} from './annotations/opt-in-annotations.ts';
export {
  LOAD_TEST_WEBHOOK_NAME,
  describeAnnotationProblem,
  parseOptInAnnotations,
  type AnnotationProblem,
  type OptInParseResult,
  type OptInWorkload,
} from './annotations/opt-in-canary.ts';
export {
  DEFAULT_OPT_IN_POLICY,
  OPT_IN_POLICY_FLAGS,
  checkOptInPolicy,
  type OptInPolicy,
} from './annotations/opt-in-policy.ts';
export { redactUrl } from './redact-url.ts';
export {
  KURATOR_WEBHOOK_NAME_PREFIX,
  convertKuratorRollout,
  type ConvertedKuratorRollout,
  type KuratorConversion,
  type KuratorConversionOptions,
  type PrivateTestLoader,
} from './kurator/convert-kurator-rollout.ts';
export { KURATOR_APPLICATION_API_VERSION, type KuratorInputShape } from './kurator/kurator-input.ts';
export type {
  KuratorRolloutConfig,
  KuratorRolloutPolicy,
  KuratorWorkloadReference,
} from './kurator/kurator-rollout-schema.ts';
export { TEST_LOADER_PORT, testLoaderName, testLoaderUrl } from './kurator/test-loader-url.ts';
export {
  ACTION_ANNOTATION,
  ACTION_REQUESTED_AT_ANNOTATION,
  MANUAL_ACTIONS,
  acknowledgeManualActionPatch,
  annotationPointer,
  manualActionRequestPatch,
  pendingManualAction,
  suspendPatch,
  type JsonPatchOperation,
  type ManualAction,
  type ManualActionRequest,
  type PendingManualAction,
} from './annotations/manual-control.ts';
