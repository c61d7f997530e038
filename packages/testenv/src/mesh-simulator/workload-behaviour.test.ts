import { describe, it, expect } from '@jest/globals';
import { parseWorkloadBehaviour } from './workload-behaviour.ts';

describe('parseWorkloadBehaviour', () => {
  it('defaults to no errors, 20 ms median and a P99 of twice the median', () => {
    const { behaviour, problems } = parseWorkloadBehaviour({});
    expect(problems).toEqual([]);
    expect(behaviour.errorRate).toBe(0);
    expect(behaviour.errorCode).toBe(500);
    expect(behaviour.latency.medianMs).toBe(20);
    expect(behaviour.latency.p99Ms).toBe(40);
  });

  it('reads the sim.linnet.dev annotations', () => {
    const { behaviour, problems } = parseWorkloadBehaviour({
      'sim.linnet.dev/error-rate': '0.05',
      'sim.linnet.dev/error-code': '503',
      'sim.linnet.dev/latency-ms': '100',
      'sim.linnet.dev/latency-p99-ms': '400',
    });
    expect(problems).toEqual([]);
    expect(behaviour).toMatchObject({ errorRate: 0.05, errorCode: 503, latency: { medianMs: 100, p99Ms: 400 } });
  });

  it('derives the P99 default from a configured median', () => {
    expect(parseWorkloadBehaviour({ 'sim.linnet.dev/latency-ms': '75' }).behaviour.latency.p99Ms).toBe(150);
  });

  it('ignores invalid values with a reason and keeps the defaults', () => {
    const { behaviour, problems } = parseWorkloadBehaviour({
      'sim.linnet.dev/error-rate': '1.5',
      'sim.linnet.dev/error-code': '404',
      'sim.linnet.dev/latency-ms': 'fast',
      'sim.linnet.dev/latency-p99-ms': '10',
    });
    expect(behaviour.errorRate).toBe(0);
    expect(behaviour.errorCode).toBe(500);
    expect(behaviour.latency.medianMs).toBe(20);
    expect(behaviour.latency.p99Ms).toBe(40);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('sim.linnet.dev/error-rate');
  });
});
