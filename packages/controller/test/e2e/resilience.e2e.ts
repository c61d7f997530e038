// Scenario 7: the controller dies mid-run. A run's progress lives in the Canary status (weight, next check time),
// so a new process resumes it without repeating or skipping a step; with leader election only the leader
// reconciles, and killing it hands the run over to the standby, which completes it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess, KubeObject } from '../../src/kube/index.ts';
import { defineResourceType, resourceTypes } from '../../src/kube/index.ts';
import {
  createSuiteNamespace,
  listCanaryEvents,
  SEED_IMAGE_V2,
  startSuiteController,
  SuiteTeardown,
  testKubeAccess,
  waitUntil,
  type ControllerProcess,
} from './support/index.ts';
import type { ObjectRecorder } from './support/object-recorder.ts';
import {
  createInitializedCanary,
  explainWithRoutes,
  scenarioCanary,
  startRun,
  successRate,
  weightSteps,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';
import {
  collapseRepeats,
  countEvents,
  parsePrometheusText,
  recordVirtualService,
  routeSplit,
  sumSamples,
  type VirtualServiceView,
} from './support/scenario-probes.ts';

interface Lease extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; leaseTransitions?: number };
}
const leaseType = defineResourceType<Lease>(resourceTypes.lease);

const RUN_TIMEOUT_MS = 180_000;
const teardown = new SuiteTeardown();

let access: KubeAccess;
let namespace: string;
const controllers: ControllerProcess[] = [];

// No controller here: each test launches its own (and kills some).
beforeAll(async () => {
  access = testKubeAccess();
  namespace = await createSuiteNamespace(teardown, access, 'e2e-resilience');
}, 60_000);

afterAll(() => teardown.run(), 60_000);

async function launch(label: string, extraFlags: string[] = []): Promise<ControllerProcess> {
  const controller = await startSuiteController(teardown, { namespace, label, extraFlags });
  controllers.push(controller);
  return controller;
}

async function setUp(name: string, stepWeight: number, maxWeight: number, interval: string) {
  const canary = await createInitializedCanary(
    access,
    scenarioCanary({
      namespace,
      name,
      analysis: { interval, threshold: 5, stepWeight, maxWeight, metrics: [successRate()] },
    }),
  );
  teardown.defer(() => canary.recorder.stop());
  const routes = await recordVirtualService(access, canary);
  teardown.defer(() => routes.stop());
  await teardown.loadJobs.start({ namespace, service: `${name}-canary`, rate: 10, durationSeconds: 900 });
  return { canary, routes };
}

/** The canary weights the VirtualService went through, consecutive repeats collapsed. */
function canaryWeightHistory(routes: ObjectRecorder<VirtualServiceView>, service: string): number[] {
  const weights = routes.versions.map((version) => routeSplit(version.object, service)?.canaryWeight ?? -1);
  return collapseRepeats(weights, String);
}

/** How often each "Advance <canary> canary weight N" event was reported, by N. */
async function advanceEventCounts(canary: ScenarioCanary, weights: readonly number[]): Promise<Record<number, number>> {
  for (const controller of controllers) if (controller.isRunning()) await controller.eventsWritten();
  const events = await listCanaryEvents(access, namespace, canary.name);
  return Object.fromEntries(
    weights.map((weight) => [
      weight,
      countEvents(events, new RegExp(`^Advance ${canary.name}\\.${namespace} canary weight ${weight}$`)),
    ]),
  );
}

async function leaderGauge(controller: ControllerProcess): Promise<{ leader: number; reconciles: number }> {
  const samples = parsePrometheusText(await controller.metrics());
  return { leader: sumSamples(samples, 'linnet_leader'), reconciles: sumSamples(samples, 'linnet_reconcile_total') };
}

describe('scenario 7: resilience', () => {
  it(
    'kill -9 mid-analysis: a new process resumes from the status, no step repeated or skipped',
    async () => {
      const first = await launch('resilience-first');
      const { canary, routes } = await setUp('steady', 10, 50, '5s');
      await withContext(
        explainWithRoutes(access, canary, () => canaryWeightHistory(routes, canary.name)),
        async () => {
          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('weight 20', (row) => row.status === 'Progressing' && row.weight === 20, {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          await waitUntil(
            'the weight 20 event',
            async () => {
              const counts = await advanceEventCounts(canary, [20]);
              return counts[20] === 1 ? { done: true, value: true } : { done: false, seen: JSON.stringify(counts) };
            },
            { timeoutMs: 10_000, intervalMs: 100 },
          );
          const nextCheckTime = canary.recorder.latest()?.status?.nextCheckTime;
          expect(nextCheckTime).toBeDefined();
          // Killed between two steps: the next one is still ahead.
          expect(Date.now()).toBeLessThan(Date.parse(nextCheckTime ?? ''));
          await first.kill();
          expect(first.exitStatus()?.signal).toBe('SIGKILL');
          expect(canary.recorder.latest()?.status?.canaryWeight).toBe(20);

          await launch('resilience-second');
          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });

          const rows = canary.recorder.rows();
          expect(weightSteps(rows)).toEqual([0, 10, 20, 30, 40, 50]);
          expect(canaryWeightHistory(routes, canary.name)).toEqual([0, 10, 20, 30, 40, 50, 0]);
          expect(await advanceEventCounts(canary, [10, 20, 30, 40, 50])).toEqual({
            10: 1,
            20: 1,
            30: 1,
            40: 1,
            50: 1,
          });
          // The schedule survived too: the new process took the next step no earlier than the status said.
          const step30 = rows.find((row) => row.status === 'Progressing' && row.weight === 30);
          expect(Date.parse(step30?.observedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(nextCheckTime ?? '') - 1_000);
        },
      );
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    'two replicas with -enable-leader-election: only the leader reconciles; killing it hands the run over',
    async () => {
      // The previous test's controller must not reconcile alongside the replicas.
      await Promise.all(controllers.map((controller) => controller.stop()));
      const flags = ['-enable-leader-election', `-leader-election-namespace=${namespace}`];
      const replicas = await Promise.all([
        launch('resilience-replica-a', flags),
        launch('resilience-replica-b', flags),
      ]);
      const [leader, standby] = await waitUntil(
        'exactly one leader',
        async () => {
          const gauges = await Promise.all(replicas.map(leaderGauge));
          const leaders = replicas.filter((_, index) => gauges[index]?.leader === 1);
          const others = replicas.filter((_, index) => gauges[index]?.leader !== 1);
          return leaders.length === 1 && others.length === 1
            ? { done: true, value: [leaders[0], others[0]] as [ControllerProcess, ControllerProcess] }
            : { done: false, seen: JSON.stringify(gauges) };
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      const { canary, routes } = await setUp('ha', 20, 60, '3s');
      await withContext(
        explainWithRoutes(access, canary, () => canaryWeightHistory(routes, canary.name)),
        async () => {
          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('weight 20', (row) => row.status === 'Progressing' && row.weight === 20, {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          const [leading, standing] = await Promise.all([leaderGauge(leader), leaderGauge(standby)]);
          expect(leading).toEqual({ leader: 1, reconciles: expect.any(Number) });
          expect(leading.reconciles).toBeGreaterThan(0);
          expect(standing).toEqual({ leader: 0, reconciles: 0 });
          const leases = await access.list(leaseType, { namespace });
          expect(leases.items).toHaveLength(1);
          const holderBefore = leases.items[0]?.spec?.holderIdentity;
          expect(holderBefore).toBeTruthy();

          await leader.kill();
          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });

          const took = await leaderGauge(standby);
          expect(took.leader).toBe(1);
          expect(took.reconciles).toBeGreaterThan(0);
          const lease = await access.get(leaseType, { namespace, name: leases.items[0]?.metadata?.name ?? '' });
          expect(lease?.spec?.holderIdentity).toBeTruthy();
          expect(lease?.spec?.holderIdentity).not.toBe(holderBefore);
          expect(weightSteps(canary.recorder.rows())).toEqual([0, 20, 40, 60]);
          expect(canaryWeightHistory(routes, canary.name)).toEqual([0, 20, 40, 60, 0]);
          expect(await advanceEventCounts(canary, [20, 40, 60])).toEqual({ 20: 1, 40: 1, 60: 1 });
        },
      );
    },
    2 * RUN_TIMEOUT_MS,
  );
});
