import { BUILTIN_METRIC_NAMES } from '@linnet/api';
import { renderQueryTemplate, type MetricTemplateContext } from './query-template.ts';

export type BuiltinMetricName = (typeof BUILTIN_METRIC_NAMES)[number];

// Flagger's Istio observer queries (reference §6.1), kept in Flagger's multi-line layout on purpose: after rendering
// and whitespace collapsing they are byte-for-byte the strings Flagger sends, leading space included, so existing
// dashboards, recording rules and query logs line up.
const ISTIO_REQUEST_SUCCESS_RATE = `
		sum(
			rate(
				istio_requests_total{
					reporter="destination",
					destination_workload_namespace="{{ namespace }}",
					destination_workload=~"{{ target }}",
					response_code!~"5.*"
				}[{{ interval }}]
			)
		)
		/
		sum(
			rate(
				istio_requests_total{
					reporter="destination",
					destination_workload_namespace="{{ namespace }}",
					destination_workload=~"{{ target }}"
				}[{{ interval }}]
			)
		)
		* 100`;

// P99 request duration in milliseconds.
const ISTIO_REQUEST_DURATION = `
		histogram_quantile(
			0.99,
			sum(
				rate(
					istio_request_duration_milliseconds_bucket{
						reporter="destination",
						destination_workload_namespace="{{ namespace }}",
						destination_workload=~"{{ target }}"
					}[{{ interval }}]
				)
			) by (le)
		)`;

export const ISTIO_BUILTIN_QUERY_TEMPLATES: Readonly<Record<BuiltinMetricName, string>> = {
  'request-success-rate': ISTIO_REQUEST_SUCCESS_RATE,
  'request-duration': ISTIO_REQUEST_DURATION,
};

export function isBuiltinMetricName(name: string): name is BuiltinMetricName {
  return (BUILTIN_METRIC_NAMES as readonly string[]).includes(name);
}

/** Prometheus does not care about layout; Flagger collapses every whitespace run to one space before sending. */
export function collapseWhitespace(query: string): string {
  return query.replace(/\s+/g, ' ');
}

/**
 * The exact PromQL Flagger sends for a built-in Istio metric. `{{ target }}` is the canary workload (targetRef.name):
 * PromQL's `=~` is anchored, so `<target>-primary` is not matched.
 */
export function renderBuiltinIstioQuery(name: BuiltinMetricName, context: MetricTemplateContext): string {
  return collapseWhitespace(renderQueryTemplate(ISTIO_BUILTIN_QUERY_TEMPLATES[name], context));
}
