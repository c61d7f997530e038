import { describe, it, expect } from '@jest/globals';
import { LoadJobs } from './load-jobs.ts';
import { seededRandom } from './random.ts';
import { MeshSimulator } from './simulator.ts';
import { flaggerCanary, weightedRoute } from './test-fixtures.ts';
import type { ClusterSnapshot } from './cluster-snapshot.ts';

function simulator(seed = 1): { sim: MeshSimulator; loadJobs: LoadJobs } {
  const loadJobs = new LoadJobs();
  const sim = new MeshSimulator({
    planOptions: { defaultRatePerSecond: 10, defaultMatchFraction: 0.1 },
    random: seededRandom(seed),
    loadJobs,
  });
  return { sim, loadJobs };
}

/** Sum of istio_requests_total samples whose labels contain every fragment. */
function requests(text: string, ...fragments: string[]): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith('istio_requests_total{') && fragments.every((f) => line.includes(f)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function runFor(sim: MeshSimulator, snapshot: ClusterSnapshot, fromMs: number, toMs: number, tickMs = 200): void {
  for (let t = fromMs; t <= toMs; t += tickMs) sim.tick(t, snapshot);
}

describe('MeshSimulator', () => {
  it('follows a weight change: 100/0 then 50/50', () => {
    const { sim } = simulator();
    const annotations = { primaryAnnotations: { 'sim.linnet.dev/error-rate': '0.05' } };
    runFor(sim, flaggerCanary('test', [weightedRoute('backend', 100, 0)], annotations), 0, 60_000);
    let text = sim.metricsText();
    expect(Math.abs(requests(text, 'destination_workload="backend-primary"') - 600)).toBeLessThanOrEqual(1);
    expect(requests(text, 'destination_workload="backend"')).toBe(0);
    expect(
      Math.abs(requests(text, 'destination_workload="backend-primary"', 'response_code="500"') - 30),
    ).toBeLessThanOrEqual(1);

    runFor(sim, flaggerCanary('test', [weightedRoute('backend', 50, 50)], annotations), 60_200, 120_000);
    text = sim.metricsText();
    expect(Math.abs(requests(text, 'destination_workload="backend-primary"') - 900)).toBeLessThanOrEqual(2);
    expect(Math.abs(requests(text, 'destination_workload="backend"') - 300)).toBeLessThanOrEqual(2);
    expect(requests(text, 'destination_workload="backend"', 'response_code="500"')).toBe(0);
  });

  it('counts load-job requests for the Service workload whatever the weights, until the job ends', () => {
    const { sim, loadJobs } = simulator();
    const snapshot = flaggerCanary('test', [weightedRoute('backend', 100, 0)]);
    sim.tick(0, snapshot);
    loadJobs.add(
      {
        namespace: 'test',
        service: 'backend-canary',
        rate: 20,
        durationSeconds: 5,
        sourceWorkload: 'loadtester',
        sourceNamespace: 'test',
      },
      100,
    );
    runFor(sim, snapshot, 200, 10_000);
    expect(
      Math.abs(requests(sim.metricsText(), 'destination_workload="backend"', 'source_workload="loadtester"') - 100),
    ).toBeLessThanOrEqual(1);
    expect(sim.plan.flows.some((f) => f.source.workload === 'loadtester')).toBe(false);
  });

  it('exports identical counters for the same seed and tick times', () => {
    const snapshot = flaggerCanary('test', [weightedRoute('backend', 30, 70)], {
      canaryAnnotations: { 'sim.linnet.dev/error-rate': '0.3' },
    });
    const a = simulator(9).sim;
    const b = simulator(9).sim;
    runFor(a, snapshot, 0, 30_000, 250);
    runFor(b, snapshot, 0, 30_000, 250);
    expect(b.metricsText()).toBe(a.metricsText());
  });

  it('catches up a short stall but not a long one', () => {
    const { sim } = simulator();
    const snapshot = flaggerCanary('test', [weightedRoute('backend', 100, 0)]);
    sim.tick(0, snapshot);
    sim.tick(3_000, snapshot);
    expect(Math.abs(requests(sim.metricsText()) - 30)).toBeLessThanOrEqual(1);
    sim.tick(3_600_000, snapshot);
    expect(Math.abs(requests(sim.metricsText()) - 130)).toBeLessThanOrEqual(2);
  });

  it('drops the series of a deleted Deployment', () => {
    const { sim } = simulator();
    runFor(sim, flaggerCanary('test', [weightedRoute('backend', 50, 50)]), 0, 5_000);
    expect(requests(sim.metricsText(), 'destination_workload="backend"')).toBeGreaterThan(0);
    const withoutCanary: ClusterSnapshot = {
      ...flaggerCanary('test', [weightedRoute('backend', 100, 0)]),
      deployments: flaggerCanary('test', []).deployments.filter((d) => d.name !== 'backend'),
    };
    sim.tick(5_200, withoutCanary);
    expect(sim.metricsText()).not.toContain('destination_workload="backend",');
  });
});
