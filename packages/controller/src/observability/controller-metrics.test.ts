import { describe, expect, it } from '@jest/globals';
import { ControllerMetrics } from './controller-metrics.ts';

const podinfo = { targetName: 'podinfo', namespace: 'test' };

describe('ControllerMetrics', () => {
  it("exports Flagger's metric names and labels", () => {
    const metrics = new ControllerMetrics({ version: '0.1.0', meshProvider: 'istio' });
    metrics.setStatus(podinfo, 'Progressing');
    metrics.setWeight(podinfo, 90, 10);
    metrics.setMetricAnalysis(podinfo, 'request-success-rate', 99.5);
    metrics.observeAnalysisDuration(podinfo, 0.2);
    metrics.countOutcome(podinfo, 'success', 'canary', 'completed');
    metrics.countOutcome(podinfo, 'failure', 'blue-green', 'skipped');
    metrics.setCanaryTotals(new Map([['test', 1]]));
    const text = metrics.render();
    expect(text).toContain('flagger_info{version="0.1.0",mesh_provider="istio"} 1\n');
    expect(text).toContain('flagger_canary_total{namespace="test"} 1\n');
    expect(text).toContain('flagger_canary_status{name="podinfo",namespace="test"} 0\n');
    expect(text).toContain('flagger_canary_weight{workload="podinfo-primary",namespace="test"} 90\n');
    expect(text).toContain('flagger_canary_weight{workload="podinfo",namespace="test"} 10\n');
    expect(text).toContain(
      'flagger_canary_metric_analysis{name="podinfo",namespace="test",metric="request-success-rate"} 99.5\n',
    );
    expect(text).toContain('flagger_canary_duration_seconds_bucket{name="podinfo",namespace="test",le="0.25"} 1\n');
    expect(text).toContain('# TYPE flagger_canary_duration_seconds histogram\n');
    expect(text).toContain(
      'flagger_canary_successes_total{name="podinfo",namespace="test",deployment_strategy="canary",analysis_status="completed"} 1\n',
    );
    expect(text).toContain(
      'flagger_canary_failures_total{name="podinfo",namespace="test",deployment_strategy="blue-green",analysis_status="skipped"} 1\n',
    );
  });

  it('encodes the phase as Flagger does: Progressing 0, Failed 2, anything else 1', () => {
    const metrics = new ControllerMetrics({ version: 'v', meshProvider: 'istio' });
    const status = (phase: string): number | undefined => {
      metrics.setStatus(podinfo, phase);
      return metrics.canaryStatus.get({ name: 'podinfo', namespace: 'test' });
    };
    expect([status('Progressing'), status('Failed'), status('Succeeded'), status('Initialized')]).toEqual([0, 2, 1, 1]);
  });

  it("forgets a deleted canary's series and samples the queue at scrape time", () => {
    const metrics = new ControllerMetrics({ version: 'v', meshProvider: 'istio' });
    metrics.setWeight(podinfo, 100, 0);
    metrics.setMetricAnalysis(podinfo, 'm', 1);
    metrics.setStatus(podinfo, 'Succeeded');
    metrics.observeAnalysisDuration(podinfo, 1);
    metrics.countOutcome(podinfo, 'success', 'canary', 'completed');
    metrics.countOutcome(podinfo, 'failure', 'canary', 'completed');
    const other = { targetName: 'other', namespace: 'test' };
    metrics.setStatus(other, 'Succeeded');
    metrics.forgetCanary(podinfo);
    let depth = 3;
    metrics.watchQueue({ depth: () => depth, delayedCount: () => 5 });
    depth = 4;
    const text = metrics.render();
    expect(text).not.toContain('workload="podinfo');
    expect(text).not.toContain('metric="m"');
    expect(text).not.toContain('name="podinfo"');
    expect(text).toContain('flagger_canary_status{name="other",namespace="test"} 1\n');
    expect(text).toContain('linnet_workqueue_depth 4\n');
    expect(text).toContain('linnet_workqueue_delayed 5\n');
  });
});
