// The seed walkthrough (examples/rollout) end to end: the controller initialises webapp-like/backend, then takes a
// new image through weights 10–50, promotes it and scales the canary down — what `kubectl get canary -w` shows in
// docs. Real API server, Prometheus and mesh simulator; the rollout webhook is a local receiver that starts the
// load tester's traffic on the mesh simulator.
import { writeFileSync } from 'node:fs';
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
  SEED_FULL_RUN,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  type CanaryStatusRecorder,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import type { KubeAccess } from '../../src/kube/index.ts';

const NAME = 'backend';
/** Initialisation plus one run of 5 analysis steps at 5 s, with generous room for a busy machine. */
const RUN_TIMEOUT_MS = 150_000;

describe('seed walkthrough (examples/rollout)', () => {
  let access: KubeAccess;
  let namespace: string;
  let hooks: WebhookReceiver;
  let controller: ControllerProcess;
  let recorder: CanaryStatusRecorder;
  let imageChangedAt = 0;

  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
    teardown.defer(() => hooks.close());
    ({ access, namespace, controller } = await startE2eSuite(teardown, 'webapp'));
    recorder = recordCanaryStatus(access, namespace, NAME);
    teardown.defer(() => recorder.stop());
  });

  afterAll(async () => {
    const table = recorder?.table() ?? '';
    // The observed `kubectl get canary -w` rows, for the docs and for post-mortems.
    writeFileSync(`${controller?.logFile ?? '/tmp'}.status.txt`, `${table}\n`);
    console.log(`seed walkthrough, namespace ${namespace}:\n${table}\ncontroller log: ${controller?.logFile}`);
    await teardown.run();
  });

  const why = (): string => explainWithControllerLog(recorder, controller);

  it(
    'initializes: primary serves all traffic, the target is scaled to zero',
    async () => {
      await applyObjects(access, [
        ...seedGateway(),
        seedDeployment({ namespace, image: SEED_IMAGE_V1 }),
        seedCanary({ namespace, rolloutWebhookUrl: hooks.url('/') }),
      ]);
      await recorder.waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });

      const primary = await getDeployment(access, namespace, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V1);
      expect(primary?.spec?.replicas).toBe(2);
      expect(primary?.spec?.selector.matchLabels).toEqual({ app: `${NAME}-primary` });
      expect((await getDeployment(access, namespace, NAME))?.spec?.replicas).toBe(0);
      expect(await readVirtualServiceRoutes(access, namespace, NAME)).toEqual({
        primaryWeight: 100,
        canaryWeight: 0,
        mirrored: false,
      });
      expect(recorder.sequence()).toEqual(expect.arrayContaining(['Initializing/0', 'Initialized/0']));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'takes a new image through weights 10..50, promotes it and scales the canary down',
    async () => {
      const before = recorder.rows().length;
      imageChangedAt = Date.now();
      await setImage(access, namespace, NAME, SEED_IMAGE_V2);

      const progressing = await recorder.waitFor('phase Progressing', (row) => row.status === 'Progressing', {
        timeoutMs: 30_000,
      });
      const reactionMs = Date.parse(progressing.observedAt) - imageChangedAt;
      console.log(`image change → Progressing observed after ${reactionMs} ms`);

      await recorder.waitFor(
        'phase Succeeded (or Failed)',
        (row) => row.status === 'Succeeded' || row.status === 'Failed',
        { timeoutMs: RUN_TIMEOUT_MS },
      );
      const run = statusSequence(recorder.rows().slice(before));
      expect({ run, why: why() }).toEqual({ run: SEED_FULL_RUN, why: why() });

      const primary = await getDeployment(access, namespace, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V2);
      expect((await getDeployment(access, namespace, NAME))?.spec?.replicas).toBe(0);
      expect(await readVirtualServiceRoutes(access, namespace, NAME)).toEqual({
        primaryWeight: 100,
        canaryWeight: 0,
        mirrored: false,
      });
      const canary = recorder.latest();
      expect(canary?.status?.conditions?.find((condition) => condition.type === 'Promoted')).toMatchObject({
        status: 'True',
        reason: 'Succeeded',
      });
      expect(hooks.calls('/').length).toBeGreaterThanOrEqual(5);

      await waitForCanaryEvents(
        access,
        namespace,
        NAME,
        [
          `New revision detected! Scaling up ${NAME}.${namespace}`,
          `Advance ${NAME}.${namespace} canary weight 50`,
          `Copying ${NAME}.${namespace} template spec to ${NAME}-primary.${namespace}`,
          `Promotion completed! Scaling down ${NAME}.${namespace}`,
        ],
        { timeoutMs: 10_000 },
      );

      await controller.waitForMetric(`flagger_canary_status{name="${NAME}",namespace="${namespace}"} 1`, {
        timeoutMs: 10_000,
      });
      await controller.waitForMetric(
        new RegExp(`^flagger_canary_successes_total\\{name="${NAME}",namespace="${namespace}",[^}]*\\} 1$`),
        { timeoutMs: 10_000 },
      );
    },
    RUN_TIMEOUT_MS + 30_000,
  );
});
