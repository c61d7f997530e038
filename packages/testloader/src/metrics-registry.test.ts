import { describe, expect, it } from '@jest/globals';
import { MetricsRegistry } from './metrics-registry.ts';

describe('MetricsRegistry', () => {
  it('renders counters and gauges in the Prometheus text format', () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter('demo_requests_total', 'Requests.', ['path', 'code']);
    const temperature = registry.gauge('demo_temperature', 'Line one\nline two \\ end.');
    requests.labels({ path: '/', code: '200' }).inc();
    requests.labels({ code: '200', path: '/' }).inc(2);
    requests.labels({ path: '/x"y\\z\n', code: '500' }).inc();
    temperature.labels().set(21.5);
    expect(registry.expose()).toBe(
      [
        '# HELP demo_requests_total Requests.',
        '# TYPE demo_requests_total counter',
        'demo_requests_total{path="/",code="200"} 3',
        'demo_requests_total{path="/x\\"y\\\\z\\n",code="500"} 1',
        '# HELP demo_temperature Line one\\nline two \\\\ end.',
        '# TYPE demo_temperature gauge',
        'demo_temperature 21.5',
        '',
      ].join('\n'),
    );
  });

  it('refreshes state-mirroring gauges before each scrape', () => {
    const registry = new MetricsRegistry();
    const running = registry.gauge('demo_running', 'Running.', ['type']);
    let types = ['cmd', 'cmd', 'bash'];
    registry.onScrape(() => {
      running.clear();
      for (const type of types) running.labels({ type }).inc();
    });
    expect(registry.expose()).toContain('demo_running{type="cmd"} 2\ndemo_running{type="bash"} 1');
    types = [];
    expect(registry.expose()).not.toContain('demo_running{');
  });

  it('renders special values', () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge('demo_value', 'Value.', ['kind']);
    gauge.labels({ kind: 'nan' }).set(Number.NaN);
    gauge.labels({ kind: 'inf' }).set(Number.POSITIVE_INFINITY);
    expect(registry.expose()).toContain('demo_value{kind="nan"} NaN\ndemo_value{kind="inf"} +Inf');
  });

  it('refuses wrong labels, decreasing counters and duplicate or invalid names', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('demo_total', 'Total.', ['a']);
    expect(() => counter.labels({ b: 'x' })).toThrow('metric demo_total takes labels [a], got [b]');
    expect(() => counter.labels({ a: 'x' }).inc(-1)).toThrow('counter demo_total cannot decrease');
    expect(() => registry.gauge('demo_total', 'Again.')).toThrow('metric demo_total is registered twice');
    expect(() => registry.gauge('demo-total', 'Dash.')).toThrow('invalid metric name demo-total');
  });
});
