// The seed walkthrough (Kurator Istio canary: interval 90s, threshold 2, stepWeight 10, maxWeight 50) replayed on
// the simulated clock and compared with the status timeline Flagger produced for it.
import { describe, expect, it } from '@jest/globals';
import { seedCanarySpec } from './test-support/canary-specs.ts';
import { failingMetricChecks, SimulatedWorld, type TimelineRow } from './test-support/simulated-world.ts';

// `kubectl get canary -w` from the seed, Progressing → Succeeded.
const FLAGGER_SEED_TIMELINE: readonly [string, string, number][] = [
  ['09:01:40', 'Progressing', 0],
  ['09:03:10', 'Progressing', 10],
  ['09:04:40', 'Progressing', 10], // failedChecks 1
  ['09:06:10', 'Progressing', 20],
  ['09:07:40', 'Progressing', 30],
  ['09:09:10', 'Progressing', 40],
  ['09:10:40', 'Progressing', 50],
  ['09:12:10', 'Promoting', 0],
  ['09:13:40', 'Finalising', 0],
  ['09:15:10', 'Succeeded', 0],
];
/** Metric check rounds per canary weight in the seed's run (Flagger runs no metrics on the pre-rollout tick). */
const FLAGGER_SEED_CHECKS_PER_WEIGHT = { 10: 2, 20: 1, 30: 1, 40: 1, 50: 1 };

const seconds = (hhmmss: string) => Date.parse(`2024-01-11T${hhmmss}Z`) / 1000;
const clock = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().slice(11, 19);

/** The seed's run in Linnet: pods take 10s to start, the primary 10s to roll out. */
function seedRun(failedMetricCheck: boolean): SimulatedWorld {
  const world = new SimulatedWorld({
    spec: seedCanarySpec,
    start: '2024-01-11T02:40:30Z',
    canaryStartupMs: 10_000,
    primaryRolloutMs: 10_000,
    checks: failingMetricChecks(new Set(failedMetricCheck ? [1] : [])),
  }).initialize();
  world.advance(seconds('09:01:40') * 1000 - world.now);
  world.changeTarget('ghcr.io/stefanprodan/podinfo:6.0.1');
  return world.runUntilPhase('Succeeded', 'Failed');
}

function checkRoundsPerWeight(world: SimulatedWorld): Record<number, number> {
  const rounds: Record<number, number> = {};
  for (const record of world.records) {
    if (!record.results.some((result) => result.kind === 'metric')) continue;
    const weight = record.observation.status.canaryWeight ?? 0;
    rounds[weight] = (rounds[weight] ?? 0) + 1;
  }
  return rounds;
}

const fromProgressing = (rows: readonly TimelineRow[]) =>
  rows.slice(rows.findIndex((row) => row.phase === 'Progressing'));

describe('the seed schedule (interval 90s, threshold 2, stepWeight 10, maxWeight 50)', () => {
  it('steps 0, 10, 20, 30, 40, 50, then Promoting, Finalising, Succeeded', () => {
    const world = seedRun(false);
    expect(world.phasesAndWeights('Progressing')).toEqual([
      'Progressing 0',
      'Progressing 10',
      'Progressing 20',
      'Progressing 30',
      'Progressing 40',
      'Progressing 50',
      'Promoting 50',
      'Finalising 0',
      'Succeeded 0',
    ]);
    expect(checkRoundsPerWeight(world)).toEqual({ 10: 1, 20: 1, 30: 1, 40: 1, 50: 1 });
  });

  it('with one failed check still succeeds, keeps failedChecks 1, and runs as many checks per weight as Flagger', () => {
    const world = seedRun(true);
    expect(world.status).toMatchObject({
      phase: 'Succeeded',
      canaryWeight: 0,
      failedChecks: 1,
      iterations: 0,
      lastPromotedSpec: world.targetHash,
      lastAppliedSpec: world.targetHash,
      conditions: [
        expect.objectContaining({
          type: 'Promoted',
          status: 'True',
          reason: 'Succeeded',
          message: 'Canary analysis completed successfully, promotion finished.',
        }),
      ],
    });
    expect(checkRoundsPerWeight(world)).toEqual(FLAGGER_SEED_CHECKS_PER_WEIGHT);

    const linnet = fromProgressing(world.timeline());
    expect(linnet.map((row) => `${row.phase} ${row.canaryWeight}`)).toEqual([
      'Progressing 0',
      'Progressing 10',
      'Progressing 10',
      'Progressing 20',
      'Progressing 30',
      'Progressing 40',
      'Progressing 50',
      'Promoting 50',
      'Finalising 0',
      'Succeeded 0',
    ]);

    const start = seconds('09:01:40');
    const linnetSeconds = (linnet.at(-1)?.at ?? 0) + seconds('02:40:30') - start;
    const flaggerSeconds = seconds('09:15:10') - start;
    const rows = FLAGGER_SEED_TIMELINE.map(([time, phase, weight], index) => {
      const ours = linnet[index];
      const oursAt = ours ? clock(ours.at + seconds('02:40:30')) : '-';
      return `${phase.padEnd(12)} flagger ${time} w${String(weight).padEnd(3)} linnet ${oursAt} w${ours?.canaryWeight}`;
    });
    console.log(
      [
        'Seed run, Flagger vs Linnet (pods start in 10s, primary rolls out in 10s, drain 30s):',
        ...rows,
        `time in analysis: Flagger ${flaggerSeconds}s (${flaggerSeconds / 90} intervals), ` +
          `Linnet ${linnetSeconds}s (${(linnetSeconds / 90).toFixed(2)} intervals)`,
      ].join('\n'),
    );
    // 6 check rounds 90s apart after the first step (10s startup), promotion, 10s primary rollout, 30s drain.
    expect(linnetSeconds).toBe(10 + 6 * 90 + 10 + 30);
    expect(flaggerSeconds).toBe(9 * 90);
  });
});
