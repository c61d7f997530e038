// Scenario 4: manual gates (reference §7.1, §7.2). The gates are Linnet's test loader (Flagger's load tester API)
// run as a child process: /gate/check answers 200 only while the gate of the Canary is open, /rollback/check only
// while its rollback gate is open. Each test holds a run at a gate, proves it stays held while the controller keeps
// asking, then opens the gate and follows the run to its end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  getDeployment,
  listCanaryEvents,
  primaryImage,
  readVirtualServiceRoutes,
  SEED_IMAGE_V2,
  startE2eSuite,
  SuiteTeardown,
  waitUntil,
  type ControllerProcess,
} from './support/index.ts';
import {
  createInitializedCanary,
  explainCanary,
  PROMOTION_PHASES,
  phaseSequence,
  phasesSince,
  scenarioCanary,
  startRun,
  successRate,
  webhook,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';
import { countEvents } from './support/scenario-probes.ts';
import { startTestLoader, type TestLoaderProcess } from './support/testloader-process.ts';

const INTERVAL = '2s';
const RUN_TIMEOUT_MS = 120_000;
const teardown = new SuiteTeardown();

let access: KubeAccess;
let namespace: string;
let controller: ControllerProcess;
let loader: TestLoaderProcess;

beforeAll(async () => {
  const [started, suite] = await Promise.all([
    startTestLoader(),
    startE2eSuite(teardown, 'e2e-gates', { label: 'gates' }),
  ]);
  loader = started;
  teardown.defer(() => loader.stop());
  ({ access, namespace, controller } = suite);
}, 120_000);

afterAll(() => teardown.run(), 60_000);

/** Records the Canary's status until teardown. */
function track(canary: ScenarioCanary): ScenarioCanary {
  teardown.defer(() => canary.recorder.stop());
  return canary;
}

/** Canary traffic straight to `<name>-canary`, as the seed's load tester would send it. */
async function loadCanary(name: string): Promise<void> {
  await teardown.loadJobs.start({ namespace, service: `${name}-canary`, rate: 10, durationSeconds: 600 });
}

/** Waits until the gate endpoint has been asked (and refused) `times` more times than `since`. */
async function waitForRefusals(path: string, since: number, times: number): Promise<number> {
  return waitUntil(
    `${times} more refused ${path} calls`,
    async () => {
      const refused = await loader.requestCount(path, 403);
      return refused >= since + times ? { done: true, value: refused } : { done: false, seen: `${refused} refused` };
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** Waits until the events whose message contains `message` were reported at least `times` times; returns the count. */
async function waitForEventCount(name: string, message: string, times: number): Promise<number> {
  return waitUntil(
    `${times} events "${message}"`,
    async () => {
      const count = countEvents(await listCanaryEvents(access, namespace, name), message);
      return count >= times ? { done: true, value: count } : { done: false, seen: `${count}` };
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  );
}

describe('scenario 4: gates', () => {
  it(
    'confirm-rollout holds a detected revision in Waiting until the gate opens',
    async () => {
      const name = 'approval';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          analysis: {
            interval: INTERVAL,
            threshold: 3,
            stepWeight: 50,
            maxWeight: 50,
            metrics: [successRate()],
            webhooks: [webhook('approve-rollout', 'confirm-rollout', `${loader.url}/gate/check`)],
          },
        }),
      );
      track(canary);
      await withContext(
        () => explainCanary(access, canary),
        async () => {
          await loadCanary(name);
          const refusedBefore = await loader.requestCount('/gate/check', 403);

          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('Waiting', (row) => row.status === 'Waiting', { timeoutMs: 60_000 });
          // Held: the controller keeps asking at every interval and the run does not start.
          await waitForRefusals('/gate/check', refusedBefore, 3);
          const held = canary.recorder.latest();
          expect(held?.status?.phase).toBe('Waiting');
          expect(phaseSequence(canary.recorder.rows())).not.toContain('Progressing');
          expect((await getDeployment(access, namespace, name))?.spec?.replicas).toBe(0);
          await waitForEventCount(
            name,
            `Halt ${name}.${namespace} advancement waiting for approval approve-rollout`,
            3,
          );

          await loader.setGate(name, namespace, true);
          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          expect(phasesSince(canary.recorder.rows(), 'Waiting')).toEqual([
            'Waiting',
            'Progressing',
            'Promoting',
            'Finalising',
            'Succeeded',
          ]);
          expect(await primaryImage(access, namespace, name)).toBe(SEED_IMAGE_V2);
          await controller.eventsWritten();
          expect(
            countEvents(
              await listCanaryEvents(access, namespace, name),
              'Confirm-rollout check approve-rollout passed',
            ),
          ).toBe(1);
        },
      );
    },
    RUN_TIMEOUT_MS + 90_000,
  );

  it(
    'confirm-promotion holds the finished analysis in WaitingPromotion until the gate opens',
    async () => {
      const name = 'promotion';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          analysis: {
            interval: INTERVAL,
            threshold: 3,
            stepWeight: 25,
            maxWeight: 50,
            metrics: [successRate()],
            webhooks: [webhook('approve-promotion', 'confirm-promotion', `${loader.url}/gate/check`)],
          },
        }),
      );
      track(canary);
      await withContext(
        () => explainCanary(access, canary),
        async () => {
          await loadCanary(name);

          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('WaitingPromotion', (row) => row.status === 'WaitingPromotion', {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          const refusedAtHold = await loader.requestCount('/gate/check', 403);
          await waitForRefusals('/gate/check', refusedAtHold, 3);
          // Held: still waiting, the canary keeps its traffic share, and the primary still runs the old version.
          expect(canary.recorder.latest()?.status?.phase).toBe('WaitingPromotion');
          expect(phaseSequence(canary.recorder.rows())).not.toContain('Promoting');
          const split = await readVirtualServiceRoutes(access, namespace, name);
          expect(split).toEqual({ primaryWeight: 50, canaryWeight: 50, mirrored: false });
          expect(await primaryImage(access, namespace, name)).not.toBe(SEED_IMAGE_V2);
          // Every refusal is reported (events are written just after the status, so they may trail the checks).
          await waitForEventCount(name, `Halt ${name}.${namespace} advancement waiting for promotion approval`, 3);

          await loader.setGate(name, namespace, true);
          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          expect(phasesSince(canary.recorder.rows(), 'WaitingPromotion')).toEqual([
            'WaitingPromotion',
            'Promoting',
            'Finalising',
            'Succeeded',
          ]);
          expect(await primaryImage(access, namespace, name)).toBe(SEED_IMAGE_V2);
        },
      );
    },
    2 * RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'a rollback webhook that answers 200 aborts the run',
    async () => {
      const name = 'abort';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          analysis: {
            interval: INTERVAL,
            threshold: 3,
            stepWeight: 25,
            maxWeight: 50,
            metrics: [successRate()],
            webhooks: [
              webhook('manual-rollback', 'rollback', `${loader.url}/rollback/check`),
              // Never opened: the run cannot promote whatever the timing, only the rollback can end it.
              webhook('hold-promotion', 'confirm-promotion', `${loader.url}/gate/check`),
            ],
          },
        }),
      );
      track(canary);
      await withContext(
        () => explainCanary(access, canary),
        async () => {
          await loadCanary(name);

          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor(
            'the first traffic step',
            (row) => row.status === 'Progressing' && row.weight > 0,
            { timeoutMs: RUN_TIMEOUT_MS },
          );
          const silentBefore = await loader.requestCount('/rollback/check', 403);
          expect(silentBefore).toBeGreaterThan(0);
          await loader.setRollbackGate(name, namespace, true);

          await canary.recorder.waitFor('Failed', (row) => row.status === 'Failed', { timeoutMs: 60_000 });
          expect(phaseSequence(canary.recorder.rows()).filter((phase) => PROMOTION_PHASES.includes(phase))).toEqual([]);
          const rollingBack = `Rolling back ${name}.${namespace} manual webhook invoked`;
          expect(await waitForEventCount(name, rollingBack, 1)).toBe(1);
          expect(await loader.requestCount('/rollback/check', 200)).toBeGreaterThanOrEqual(1);
          // Rolled back: all traffic on the primary (still the old version), the canary scaled to zero.
          await waitUntil(
            'traffic back on the primary',
            async () => {
              const split = await readVirtualServiceRoutes(access, namespace, name);
              return split?.canaryWeight === 0
                ? { done: true, value: split }
                : { done: false, seen: JSON.stringify(split) };
            },
            { timeoutMs: 30_000 },
          );
          expect(await primaryImage(access, namespace, name)).not.toBe(SEED_IMAGE_V2);
          expect((await getDeployment(access, namespace, name))?.spec?.replicas).toBe(0);
        },
      );
    },
    RUN_TIMEOUT_MS + 120_000,
  );
});
