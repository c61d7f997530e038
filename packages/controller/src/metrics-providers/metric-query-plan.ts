import type { V1Secret } from '@kubernetes/client-node';
import type { CanaryMetric, CanarySpec, MetricTemplate, ObjectMeta } from '@linnet/api';
import { isBuiltinMetricName, renderBuiltinIstioQuery } from './builtin-queries.ts';
import { builtinProviderConfig, templateProviderConfig } from './provider-config.ts';
import type { PrometheusProviderConfig } from './prometheus-provider.ts';
import { metricTemplateContext, renderQueryTemplate } from './query-template.ts';

/** One query to run for a metric check, with the backend it runs against. */
export interface MetricQueryPlan {
  metric: string;
  source: 'builtin' | 'inline' | 'template';
  query: string;
  provider: PrometheusProviderConfig;
}

export class MetricCheckSetupError extends Error {
  readonly reason: 'MetricTemplateNotFound' | 'MetricQueryMissing';
  constructor(reason: MetricCheckSetupError['reason'], message: string) {
    super(message);
    this.name = 'MetricCheckSetupError';
    this.reason = reason;
  }
}

export interface MetricPlanInputs {
  canary: {
    metadata: Pick<ObjectMeta, 'name' | 'namespace'>;
    spec: Pick<CanarySpec, 'metricsServer' | 'targetRef' | 'service' | 'ingressRef' | 'routeRef'>;
  };
  metric: CanaryMetric;
  /** The template named by `metric.templateRef` (in templateRef.namespace or the Canary's); undefined if missing. */
  template?: Pick<MetricTemplate, 'metadata' | 'spec'> | undefined;
  /** The template's `provider.secretRef` Secret, from the template's namespace. */
  templateSecret?: Pick<V1Secret, 'data'> | undefined;
  /** The `--metrics-server` flag. */
  defaultAddress: string;
}

/**
 * The queries a metric check runs, in Flagger's order: a built-in name (request-success-rate, request-duration)
 * runs Flagger's Istio query; otherwise an inline `query` runs, rendered like a template query; a `templateRef` adds the rendered
 * template query (so a built-in name with a templateRef runs both). Throws MetricCheckSetupError,
 * MetricsProviderConfigError or MetricTemplateRenderError — each with a `reason` — when the check cannot run;
 * Flagger counts that as a failed check.
 */
export function planMetricQueries(inputs: MetricPlanInputs): MetricQueryPlan[] {
  const { canary, metric } = inputs;
  const context = metricTemplateContext(canary, metric);
  const plans: MetricQueryPlan[] = [];

  if (isBuiltinMetricName(metric.name)) {
    plans.push({
      metric: metric.name,
      source: 'builtin',
      query: renderBuiltinIstioQuery(metric.name, context),
      provider: builtinProviderConfig(canary.spec, inputs.defaultAddress),
    });
  } else if (metric.query) {
    plans.push({
      metric: metric.name,
      source: 'inline',
      // Flagger renders inline queries with the same variables as MetricTemplates.
      query: renderQueryTemplate(metric.query, context),
      provider: builtinProviderConfig(canary.spec, inputs.defaultAddress),
    });
  }

  if (metric.templateRef !== undefined) {
    const ref = `${metric.templateRef.namespace ?? canary.metadata.namespace ?? ''}/${metric.templateRef.name}`;
    if (inputs.template === undefined) {
      throw new MetricCheckSetupError(
        'MetricTemplateNotFound',
        `MetricTemplate ${ref} of metric ${metric.name} not found`,
      );
    }
    plans.push({
      metric: metric.name,
      source: 'template',
      query: renderQueryTemplate(inputs.template.spec.query, context),
      provider: templateProviderConfig({
        template: inputs.template,
        secret: inputs.templateSecret,
        canaryMetricsServer: canary.spec.metricsServer,
        defaultAddress: inputs.defaultAddress,
      }),
    });
  }

  if (plans.length === 0) {
    throw new MetricCheckSetupError(
      'MetricQueryMissing',
      `metric ${metric.name} has no usable metrics template or query (and is not a built-in metric)`,
    );
  }
  return plans;
}
