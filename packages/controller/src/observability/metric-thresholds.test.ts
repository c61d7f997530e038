import { describe, expect, it } from '@jest/globals';
import { MetricsRegistry } from './metrics-registry.ts';
import { MetricThresholds } from './metric-thresholds.ts';

describe('MetricThresholds', () => {
  it('exports each metric bound in the unit of flagger_canary_metric_analysis, and forgets a deleted canary', () => {
    const registry = new MetricsRegistry();
    const thresholds = new MetricThresholds(registry);
    const canary = { targetName: 'backend', namespace: 'shop' };
    thresholds.set(canary, [
      { name: 'request-success-rate', thresholdRange: { min: 99 } },
      { name: 'request-duration', threshold: 500 },
      { name: 'errors', templateRef: { name: 'errors' }, thresholdRange: { min: 0, max: 5 } },
    ]);
    const lines = registry
      .render()
      .split('\n')
      .filter((line) => line.startsWith('linnet_canary_metric_threshold{'));
    expect(lines).toEqual([
      'linnet_canary_metric_threshold{name="backend",namespace="shop",metric="request-success-rate",bound="min"} 99',
      'linnet_canary_metric_threshold{name="backend",namespace="shop",metric="request-duration",bound="max"} 0.5',
      'linnet_canary_metric_threshold{name="backend",namespace="shop",metric="errors",bound="min"} 0',
      'linnet_canary_metric_threshold{name="backend",namespace="shop",metric="errors",bound="max"} 5',
    ]);
    thresholds.forget(canary);
    expect(registry.render()).not.toContain('linnet_canary_metric_threshold{');
  });
});
