// Rollback end to end: a version whose simulated error rate breaks the success-rate threshold is rolled back after
// `threshold` failed checks; the primary is never touched and keeps serving all traffic, and the events and the
// status say which metric failed with which value.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  applyObjects,
  explainWithControllerLog,
  getDeployment,
  loadTesterStandIn,
  readVirtualServiceRoutes,
  recordCanaryStatus,
  seedCanary,
  seedDeployment,
  seedGateway,
  setImage,
  startE2eSuite,
  startWebhookReceiver,
  statusSequence,
  waitForCanaryEvents,
  SuiteTeardown,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  type CanaryStatusRecorder,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import type { KubeAccess } from '../../src/kube/index.ts';

const NAME = 'backend';
const THRESHOLD = 2;
const RUN_TIMEOUT_MS = 120_000;

describe('rollback of a failing version', () => {
  let access: KubeAccess;
  let namespace: string;
  let hooks: WebhookReceiver;
  let controller: ControllerProcess;
  let recorder: CanaryStatusRecorder;

  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
    teardown.defer(() => hooks.close());
    ({ access, namespace, controller } = await startE2eSuite(teardown, 'rollback'));
    recorder = recordCanaryStatus(access, namespace, NAME);
    teardown.defer(() => recorder.stop());
    await applyObjects(access, [
      ...seedGateway(),
      seedDeployment({ namespace, image: SEED_IMAGE_V1 }),
      seedCanary({ namespace, rolloutWebhookUrl: hooks.url('/'), threshold: THRESHOLD }),
    ]);
    await recorder.waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    console.log(`rollback, namespace ${namespace}:\n${recorder?.table()}\ncontroller log: ${controller?.logFile}`);
    await teardown.run();
  });

  const why = (): string => explainWithControllerLog(recorder, controller);

  it(
    'rolls back after the threshold of failed checks and leaves the primary serving',
    async () => {
      const before = recorder.rows().length;
      // The "bad version": a new image whose pods answer 20 % of requests with 500 in the mesh simulator.
      await setImage(access, namespace, NAME, SEED_IMAGE_V2, { 'sim.linnet.dev/error-rate': '0.2' });
      await recorder.waitFor(
        'phase Failed (or Succeeded)',
        (row) => row.status === 'Failed' || row.status === 'Succeeded',
        {
          timeoutMs: RUN_TIMEOUT_MS,
        },
      );
      const run = recorder.rows().slice(before);
      const sequence = statusSequence(run);
      // Weights move on while checks pass: the load tester's traffic starts with the first rollout hook, so the
      // first check at weight 10 may see only a few requests, all answered. Whatever the weight, the run ends in
      // Failed at weight 0 and never promotes.
      expect({ sequence, why: why() }).toEqual({
        sequence: expect.arrayContaining(['Progressing/0', 'Progressing/10', 'Failed/0']),
        why: why(),
      });
      expect(sequence.at(-1)).toBe('Failed/0');
      expect(sequence.filter((entry) => !/^Progressing\/\d+$/.test(entry))).toEqual(['Failed/0']);
      // The failed checks were counted one at a time up to the threshold.
      const counted = [...new Set(run.map((row) => row.failedChecks))];
      expect(counted).toEqual(Array.from({ length: THRESHOLD + 1 }, (_, index) => index));
      const status = recorder.latest()?.status;
      expect(status?.failedChecks).toBe(THRESHOLD);
      expect(status?.canaryWeight).toBe(0);

      // The primary is untouched (old image, same replicas) and serves all traffic.
      const primary = await getDeployment(access, namespace, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V1);
      expect(primary?.spec?.replicas).toBe(2);
      expect(primary?.status?.availableReplicas).toBe(2);
      expect(await readVirtualServiceRoutes(access, namespace, NAME)).toEqual({
        primaryWeight: 100,
        canaryWeight: 0,
        mirrored: false,
      });
      expect((await getDeployment(access, namespace, NAME))?.spec?.replicas).toBe(0);

      // Why it failed, in an event and in the status: the metric and its value.
      const halt = new RegExp(`Halt ${NAME}\\.${namespace} advancement success rate (\\d+\\.\\d\\d)% < 99%`);
      const events = await waitForCanaryEvents(
        access,
        namespace,
        NAME,
        [
          halt,
          `Rolling back ${NAME}.${namespace} failed checks threshold reached ${THRESHOLD}`,
          `Canary failed! Scaling down ${NAME}.${namespace}`,
        ],
        { timeoutMs: 10_000 },
      );
      const failedCheckEvent = events.find((event) => event.type === 'Warning' && halt.test(event.message));
      expect(failedCheckEvent?.reason).toBe('MetricCheckFailed');
      expect(Number(halt.exec(failedCheckEvent?.message ?? '')?.[1])).toBeLessThan(99);
      expect(status?.lastDecision?.reason).toBe('RolledBack');
      expect(status?.lastDecision?.message).toMatch(halt);
      const successRate = status?.lastChecks?.find((check) => check.name === 'request-success-rate');
      expect(successRate).toMatchObject({ passed: false });
      expect(successRate?.value).toBeLessThan(99);
      expect(status?.conditions?.find((condition) => condition.type === 'Promoted')).toMatchObject({
        status: 'False',
        reason: 'Failed',
      });

      await controller.waitForMetric(`flagger_canary_status{name="${NAME}",namespace="${namespace}"} 2`, {
        timeoutMs: 10_000,
      });
      await controller.waitForMetric(
        new RegExp(`^flagger_canary_failures_total\\{name="${NAME}",namespace="${namespace}",[^}]*\\} 1$`),
        { timeoutMs: 10_000 },
      );
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});
