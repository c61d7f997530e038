import { describe, expect, it } from '@jest/globals';
import { MetricDefinitionError, MetricsRegistry } from './metrics-registry.ts';

describe('MetricsRegistry', () => {
  it('renders counters and gauges in the Prometheus text format, escaping label values and help', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'jobs_total', help: 'Jobs run.\nAll of them.', labelNames: ['queue'] });
    const gauge = registry.gauge({ name: 'temperature', help: 'Degrees' });
    counter.inc({ queue: 'a"b\\c\nd' });
    counter.inc({ queue: 'a"b\\c\nd' }, 2);
    gauge.set({}, -1.5);
    expect(registry.render()).toBe(
      '# HELP jobs_total Jobs run.\\nAll of them.\n' +
        '# TYPE jobs_total counter\n' +
        'jobs_total{queue="a\\"b\\\\c\\nd"} 3\n' +
        '# HELP temperature Degrees\n' +
        '# TYPE temperature gauge\n' +
        'temperature -1.5\n',
    );
  });

  it('renders cumulative histogram buckets with +Inf, sum and count', () => {
    const registry = new MetricsRegistry();
    const histogram = registry.histogram({ name: 'latency_seconds', help: 'h', labelNames: ['op'], buckets: [1, 0.1] });
    histogram.observe({ op: 'get' }, 0.05);
    histogram.observe({ op: 'get' }, 0.5);
    histogram.observe({ op: 'get' }, 3);
    expect(registry.render()).toBe(
      '# HELP latency_seconds h\n' +
        '# TYPE latency_seconds histogram\n' +
        'latency_seconds_bucket{op="get",le="0.1"} 1\n' +
        'latency_seconds_bucket{op="get",le="1"} 2\n' +
        'latency_seconds_bucket{op="get",le="+Inf"} 3\n' +
        'latency_seconds_sum{op="get"} 3.55\n' +
        'latency_seconds_count{op="get"} 3\n',
    );
  });

  it('rejects wrong label sets, duplicate names, invalid names and decreasing counters', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'] });
    expect(() => counter.inc({ a: '1' } as Record<'a' | 'b', string>)).toThrow(MetricDefinitionError);
    expect(() => counter.inc({ a: '1', b: '2' }, -1)).toThrow(MetricDefinitionError);
    expect(() => registry.counter({ name: 'c_total', help: 'again' })).toThrow(MetricDefinitionError);
    expect(() => registry.gauge({ name: 'bad-name', help: 'x' })).toThrow(MetricDefinitionError);
    expect(() => registry.histogram({ name: 'h', help: 'x', labelNames: ['le'] })).toThrow(MetricDefinitionError);
  });

  it('removes gauge series, one or all matching', () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'g', help: 'g', labelNames: ['ns', 'name'] });
    gauge.set({ ns: 'a', name: 'x' }, 1);
    gauge.set({ ns: 'a', name: 'y' }, 2);
    gauge.set({ ns: 'b', name: 'x' }, 3);
    gauge.remove({ ns: 'b', name: 'x' });
    expect(gauge.get({ ns: 'b', name: 'x' })).toBeUndefined();
    gauge.removeMatching({ ns: 'a' });
    expect(registry.render()).toBe('# HELP g g\n# TYPE g gauge\n');
  });

  it('runs refresh hooks before rendering', () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'depth', help: 'd' });
    let depth = 0;
    registry.beforeRender(() => gauge.set({}, depth));
    depth = 7;
    expect(registry.render()).toContain('depth 7\n');
  });
});
