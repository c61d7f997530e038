// Scenario 8: invalid Canaries. A Canary the API server accepts (the CRD schema cannot express every rule) but
// Linnet cannot run is reported where its author looks: a status condition and a Warning event that name the
// offending field. Meanwhile the controller keeps serving every other Canary.
//
// This suite runs one controller over all namespaces (the valid Canary is in another namespace than the invalid
// ones), so it would also reconcile Canaries of e2e suites run at the same time by someone else on the same
// cluster; `npm run test:e2e` runs suites one after the other.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Condition } from '@linnet/api';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  applyObjects,
  createTestNamespace,
  deleteTestNamespace,
  getCanary,
  getDeployment,
  listCanaryEvents,
  SEED_IMAGE_V2,
  startController,
  testKubeAccess,
  waitUntil,
  type CanaryEventRecord,
  type ControllerProcess,
} from './support/index.ts';
import {
  createInitializedCanary,
  explainCanary,
  PROMOTION_PHASES,
  phasesSince,
  scenarioCanary,
  scenarioDeployment,
  startRun,
  successRate,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';
import { describeEvents, SuiteLoadJobs } from './support/scenario-probes.ts';

const RUN_TIMEOUT_MS = 120_000;
const loadJobs = new SuiteLoadJobs();

let access: KubeAccess;
let invalidNamespace: string;
let validNamespace: string;
let controller: ControllerProcess;
let good: ScenarioCanary | undefined;

beforeAll(async () => {
  access = testKubeAccess();
  [invalidNamespace, validNamespace] = await Promise.all([
    createTestNamespace(access, 'e2e-invalid'),
    createTestNamespace(access, 'e2e-valid'),
  ]);
  controller = await startController({ label: 'invalid-canary' });
}, 120_000);

afterAll(async () => {
  await loadJobs.stopAll();
  await good?.recorder.stop();
  await controller?.stop();
  await Promise.all(
    [invalidNamespace, validNamespace].filter(Boolean).map((namespace) => deleteTestNamespace(access, namespace)),
  );
}, 60_000);

interface Report {
  condition: Condition;
  event: CanaryEventRecord;
}

/** Waits until the Canary carries a condition and a Warning event whose messages contain `field`. */
async function waitForReport(namespace: string, name: string, field: string): Promise<Report> {
  return waitUntil(
    `${namespace}/${name} to report ${field}`,
    async () => {
      const canary = await getCanary(access, namespace, name);
      const events = await listCanaryEvents(access, namespace, name);
      const condition = canary.status?.conditions?.find((candidate) => candidate.message?.includes(field));
      const event = events.find((candidate) => candidate.type === 'Warning' && candidate.message.includes(field));
      return condition && event
        ? { done: true, value: { condition, event } }
        : {
            done: false,
            seen: `conditions ${JSON.stringify(canary.status?.conditions ?? [])}; events:\n${describeEvents(events)}`,
          };
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

describe('scenario 8: invalid Canaries', () => {
  it(
    'name the offending field in a condition and an event, while a valid Canary elsewhere keeps progressing',
    async () => {
      await applyObjects(access, [
        scenarioDeployment({ namespace: invalidNamespace, name: 'steps' }),
        scenarioCanary({
          namespace: invalidNamespace,
          name: 'steps',
          // The third step goes back down: the API server accepts it, Linnet must not run it.
          analysis: { interval: '2s', threshold: 2, stepWeights: [10, 20, 15], metrics: [successRate()] },
        }),
        scenarioCanary({
          namespace: invalidNamespace,
          name: 'orphan',
          targetName: 'ghost',
          analysis: { interval: '2s', threshold: 2, stepWeight: 50, maxWeight: 50, metrics: [successRate()] },
        }),
      ]);

      const steps = await waitForReport(invalidNamespace, 'steps', 'spec.analysis.stepWeights[2]');
      expect(steps.condition.status).not.toBe('True');
      expect(steps.event.message).toMatch(/spec\.analysis\.stepWeights\[2\].*(greater|increas)/);
      const orphan = await waitForReport(invalidNamespace, 'orphan', 'spec.targetRef');
      expect(orphan.condition.status).not.toBe('True');
      expect(orphan.event.message).toContain('ghost');
      // Nothing was generated for the invalid Canary.
      expect(await getDeployment(access, invalidNamespace, 'steps-primary')).toBeUndefined();

      // Meanwhile, in another namespace, a valid Canary runs from start to finish.
      good = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace: validNamespace,
          name: 'good',
          analysis: { interval: '2s', threshold: 3, stepWeight: 25, maxWeight: 50, metrics: [successRate()] },
        }),
      );
      const valid = good;
      await withContext(
        () => explainCanary(access, valid),
        async () => {
          await loadJobs.start({
            namespace: validNamespace,
            service: 'good-canary',
            rate: 10,
            durationSeconds: 600,
          });
          await startRun(access, valid, SEED_IMAGE_V2);
          await valid.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', { timeoutMs: RUN_TIMEOUT_MS });
          expect(phasesSince(valid.recorder.rows(), 'Progressing')).toEqual([
            'Progressing',
            'Promoting',
            'Finalising',
            'Succeeded',
          ]);
        },
      );

      // The invalid Canaries are still reported, and never started a run.
      for (const [name, field] of [
        ['steps', 'spec.analysis.stepWeights[2]'],
        ['orphan', 'spec.targetRef'],
      ] as const) {
        const canary = await getCanary(access, invalidNamespace, name);
        expect(canary.status?.conditions?.some((condition) => condition.message?.includes(field))).toBe(true);
        expect([...PROMOTION_PHASES, 'Progressing']).not.toContain(canary.status?.phase ?? '');
      }
    },
    RUN_TIMEOUT_MS + 150_000,
  );
});
