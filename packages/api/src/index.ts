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
