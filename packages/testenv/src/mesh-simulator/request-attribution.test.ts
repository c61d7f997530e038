import { describe, it, expect } from '@jest/globals';
import {
  expectedHistogramQuantile,
  ISTIO_DURATION_BUCKETS_MS,
  prometheusHistogramQuantile,
  bucketIndex,
} from './istio-histogram.ts';
import { seededRandom } from './random.ts';
import { RequestAttributor, SUCCESS_CODE, type RequestBatch } from './request-attribution.ts';
import { flaggerCanary, weightedRoute } from './test-fixtures.ts';
import { buildTrafficPlan, type TrafficFlow } from './traffic-plan.ts';

function flowsFor(primaryAnnotations: Record<string, string>, rate = 10): readonly TrafficFlow[] {
  const snapshot = flaggerCanary('test', [weightedRoute('backend', 100, 0)], { primaryAnnotations });
  return buildTrafficPlan(snapshot, [], { defaultRatePerSecond: rate, defaultMatchFraction: 0.1 }).flows;
}

function run(
  attributor: RequestAttributor,
  flows: readonly TrafficFlow[],
  seconds: number,
  tickMs = 200,
): RequestBatch[] {
  const batches: RequestBatch[] = [];
  for (let t = 0; t < seconds * 1000; t += tickMs) batches.push(...attributor.attribute(flows, t, t + tickMs));
  return batches;
}

function count(batches: readonly RequestBatch[], predicate: (b: RequestBatch) => boolean = () => true): number {
  return batches.filter(predicate).reduce((sum, b) => sum + b.latenciesMs.length, 0);
}

describe('RequestAttributor', () => {
  it('emits rate × time requests, within one, over any run of ticks', () => {
    const flows = flowsFor({}, 7.3);
    const attributor = new RequestAttributor(seededRandom(1));
    let total = 0;
    for (let t = 0; t < 60_000; t += 150) {
      total += count(attributor.attribute(flows, t, t + 150));
      const expected = 7.3 * ((t + 150) / 1000);
      expect(Math.abs(total - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('answers exactly the configured fraction with the error code', () => {
    const batches = run(new RequestAttributor(seededRandom(2)), flowsFor({ 'sim.linnet.dev/error-rate': '0.05' }), 300);
    const total = count(batches);
    const errors = count(batches, (b) => b.responseCode === 500);
    expect(total).toBeGreaterThanOrEqual(2999);
    expect(Math.abs(errors - 0.05 * total)).toBeLessThanOrEqual(1);
    expect(count(batches, (b) => b.responseCode === SUCCESS_CODE)).toBe(total - errors);
  });

  it('fills histogram buckets so that histogram_quantile lands on the expected P99 within 30 s of traffic', () => {
    const annotations = { 'sim.linnet.dev/latency-ms': '40', 'sim.linnet.dev/latency-p99-ms': '80' };
    const flows = flowsFor(annotations, 20);
    const batches = run(new RequestAttributor(seededRandom(3)), flows, 30);
    const perBucket = new Array<number>(ISTIO_DURATION_BUCKETS_MS.length + 1).fill(0);
    for (const latency of batches.flatMap((b) => b.latenciesMs))
      perBucket[bucketIndex(latency)] = (perBucket[bucketIndex(latency)] ?? 0) + 1;
    let cumulative = 0;
    const buckets = [...ISTIO_DURATION_BUCKETS_MS, Infinity].map((le, i) => ({
      le,
      cumulative: (cumulative += perBucket[i] ?? 0),
    }));
    const measured = prometheusHistogramQuantile(0.99, buckets);
    const flow = flows[0];
    if (!flow) throw new Error('no flow');
    const expected = expectedHistogramQuantile(0.99, flow.behaviour.latency);
    expect(expected).toBeCloseTo(98.02, 1);
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.02);
    // And the samples themselves have the configured median and P99.
    const sorted = batches.flatMap((b) => b.latenciesMs).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.5)]).toBeCloseTo(40, -0.5);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeCloseTo(80, -0.5);
  });

  it('is deterministic given the seed, and the seed only shifts phases', () => {
    const flows = flowsFor({ 'sim.linnet.dev/error-rate': '0.1' });
    const a = run(new RequestAttributor(seededRandom(42)), flows, 20);
    const b = run(new RequestAttributor(seededRandom(42)), flows, 20);
    const c = run(new RequestAttributor(seededRandom(43)), flows, 20);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(Math.abs(count(c) - count(a))).toBeLessThanOrEqual(1);
  });

  it('clips load-job flows to their window', () => {
    const [flow] = flowsFor({}, 10);
    if (!flow) throw new Error('no flow');
    const windowed: TrafficFlow = { ...flow, key: 'load', activeFromMs: 1_000, activeUntilMs: 3_500 };
    const total = count(run(new RequestAttributor(seededRandom(5)), [windowed], 10));
    expect(Math.abs(total - 25)).toBeLessThanOrEqual(1);
  });

  it('forgets flows that left the plan', () => {
    const attributor = new RequestAttributor(() => 0);
    const flows = flowsFor({}, 10);
    attributor.attribute(flows, 0, 50); // 0.5 request carried
    attributor.attribute([], 50, 100);
    expect(count(attributor.attribute(flows, 100, 150))).toBe(0); // the carry restarted from 0
  });
});
