// Scenario 6: analysis without data (reference §6.2). A canary that receives no traffic yields an empty query
// result, which is a failed check ("no values found"), never a pass; a metrics server that cannot be reached is a
// failed check too. Either way the run must end Failed after the threshold and never promote.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  e2eTypes,
  getDeployment,
  listCanaryEvents,
  primaryImage,
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
  scenarioCanary,
  startRun,
  successRate,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';
import { countEvents, meshWorkloadRates } from './support/scenario-probes.ts';

const RUN_TIMEOUT_MS = 120_000;
const teardown = new SuiteTeardown();

let access: KubeAccess;
let namespace: string;
let controller: ControllerProcess;

beforeAll(async () => {
  ({ access, namespace, controller } = await startE2eSuite(teardown, 'e2e-no-traffic', { label: 'no-traffic' }));
}, 120_000);

afterAll(() => teardown.run(), 60_000);

/** Records the Canary's status until teardown. */
function track(canary: ScenarioCanary): ScenarioCanary {
  teardown.defer(() => canary.recorder.stop());
  return canary;
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('scenario 6: no traffic, no metrics', () => {
  it(
    'a canary that gets no traffic halts with "no values found", counts failed checks and rolls back',
    async () => {
      const name = 'quiet';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          // The simulator sends nothing through this VirtualService (and no load job targets the canary).
          apexAnnotations: { 'sim.linnet.dev/rate': '0' },
          analysis: { interval: '2s', threshold: 2, stepWeight: 50, maxWeight: 50, metrics: [successRate()] },
        }),
      );
      track(canary);
      await withContext(
        () => explainCanary(access, canary),
        async () => {
          // Linnet owns the VirtualService, yet the annotation from service.apex is on it (and the mesh honours it).
          const vs = await access.get(e2eTypes.virtualService, { namespace, name });
          expect(vs?.metadata.annotations?.['sim.linnet.dev/rate']).toBe('0');

          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('Failed', (row) => row.status === 'Failed', { timeoutMs: RUN_TIMEOUT_MS });
          await controller.eventsWritten();
          const events = await listCanaryEvents(access, namespace, name);

          const rows = canary.recorder.rows();
          const halted = rows.find((row) => row.status === 'Progressing' && row.failedChecks >= 1);
          expect(halted).toBeDefined();
          expect(halted?.decision).toContain('no values found');
          const noValues = new RegExp(
            `no values found for istio metric request-success-rate probably ${name}\\.${namespace} is not receiving traffic`,
          );
          expect(countEvents(events, noValues)).toBeGreaterThanOrEqual(1);
          const final = canary.recorder.latest()?.status;
          expect(final?.failedChecks).toBeGreaterThanOrEqual(1);
          expect(final?.lastChecks?.[0]?.passed).toBe(false);
          expect(final?.lastChecks?.[0]?.message).toMatch(noValues);
          expect(phaseSequence(rows).filter((phase) => PROMOTION_PHASES.includes(phase))).toEqual([]);
          expect(await primaryImage(access, namespace, name)).not.toBe(SEED_IMAGE_V2);
          // The canary really had its weight, with nothing behind it: the simulator planned no requests for it.
          const plan = await meshWorkloadRates(namespace);
          expect(plan.filter((workload) => workload.ratePerSecond > 0)).toEqual([]);
        },
      );
    },
    RUN_TIMEOUT_MS + 90_000,
  );

  it(
    'an unreachable metrics server never lets the run promote',
    async () => {
      const name = 'blind';
      const metricsServer = `http://127.0.0.1:${await closedPort()}`;
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          metricsServer,
          analysis: { interval: '2s', threshold: 2, stepWeight: 50, maxWeight: 50, metrics: [successRate()] },
        }),
      );
      track(canary);
      await withContext(
        () => explainCanary(access, canary),
        async () => {
          // Traffic is plentiful; only the metrics server is missing.
          await teardown.loadJobs.start({ namespace, service: `${name}-canary`, rate: 10, durationSeconds: 600 });

          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('Failed', (row) => row.status === 'Failed', { timeoutMs: RUN_TIMEOUT_MS });
          await controller.eventsWritten();
          const events = await listCanaryEvents(access, namespace, name);

          const rows = canary.recorder.rows();
          expect(phaseSequence(rows).filter((phase) => PROMOTION_PHASES.includes(phase))).toEqual([]);
          expect(rows.some((row) => row.status === 'Progressing' && row.weight > 0)).toBe(true);
          expect(countEvents(events, 'Prometheus query failed')).toBeGreaterThanOrEqual(1);
          expect(canary.recorder.latest()?.status?.failedChecks).toBeGreaterThanOrEqual(2);
          expect(await primaryImage(access, namespace, name)).not.toBe(SEED_IMAGE_V2);
          await waitUntil(
            'the rolled-back canary to be scaled to zero',
            async () => {
              const replicas = (await getDeployment(access, namespace, name))?.spec?.replicas;
              return replicas === 0 ? { done: true, value: replicas } : { done: false, seen: String(replicas) };
            },
            { timeoutMs: 30_000 },
          );
        },
      );
    },
    RUN_TIMEOUT_MS + 90_000,
  );
});
