// linnet_canary_metric_threshold: the accepted range of each analysis metric, from the Canary's spec, so a
// dashboard can draw flagger_canary_metric_analysis against its bounds. In the unit of the exported value:
// request-duration is exported in seconds (as Flagger does) while its threshold is written in milliseconds.
import { withMetricDefaults, type CanaryMetric } from '@linnet/api';
import { metricBounds, metricSource } from '@linnet/core';
import type { CanaryMetricIdentity } from './controller-metrics.ts';
import type { Gauge, MetricsRegistry } from './metrics-registry.ts';

export class MetricThresholds {
  private readonly gauge: Gauge<'name' | 'namespace' | 'metric' | 'bound'>;

  constructor(registry: MetricsRegistry) {
    this.gauge = registry.gauge({
      name: 'linnet_canary_metric_threshold',
      help: 'Accepted range of an analysis metric (bound="min" or "max"), in the unit of flagger_canary_metric_analysis',
      labelNames: ['name', 'namespace', 'metric', 'bound'],
    });
  }

  /** Replaces the canary's thresholds with those of `metrics`. */
  set(canary: CanaryMetricIdentity, metrics: readonly CanaryMetric[]): void {
    this.forget(canary);
    for (const spec of metrics) {
      const metric = withMetricDefaults(spec);
      const source = metricSource(metric);
      if (!source) continue;
      const scale = source === 'builtin' && metric.name === 'request-duration' ? 1 / 1000 : 1;
      for (const [bound, value] of Object.entries(metricBounds(metric, source))) {
        this.gauge.set(
          { name: canary.targetName, namespace: canary.namespace, metric: metric.name, bound },
          value * scale,
        );
      }
    }
  }

  forget(canary: CanaryMetricIdentity): void {
    this.gauge.removeMatching({ name: canary.targetName, namespace: canary.namespace });
  }
}
