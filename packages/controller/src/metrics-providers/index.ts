export type {
  MetricQueryErrorReason,
  MetricQueryOptions,
  MetricQueryResult,
  MetricSeriesValue,
  MetricsProvider,
} from './metrics-provider.ts';
export {
  createPrometheusProvider,
  DEFAULT_PROMETHEUS_MAX_ANSWER_BYTES,
  DEFAULT_PROMETHEUS_TIMEOUT_MS,
} from './prometheus-provider.ts';
export type { PrometheusAuth, PrometheusLimits, PrometheusProviderConfig } from './prometheus-provider.ts';
export {
  collapseWhitespace,
  isBuiltinMetricName,
  ISTIO_BUILTIN_QUERY_TEMPLATES,
  renderBuiltinIstioQuery,
} from './builtin-queries.ts';
export type { BuiltinMetricName } from './builtin-queries.ts';
export { metricTemplateContext, MetricTemplateRenderError, renderQueryTemplate } from './query-template.ts';
export type { MetricTemplateContext } from './query-template.ts';
export { builtinProviderConfig, MetricsProviderConfigError, templateProviderConfig } from './provider-config.ts';
export type { MetricsProviderConfigErrorReason, TemplateProviderInputs } from './provider-config.ts';
export { MetricCheckSetupError, planMetricQueries } from './metric-query-plan.ts';
export type { MetricPlanInputs, MetricQueryPlan } from './metric-query-plan.ts';
