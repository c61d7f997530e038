// Manual controls end to end (docs/cli.md "Manual controls"): the `linnet` CLI writes promote/abort/retry requests
// and pause/resume, and the controller honours them. Each scenario has its own Canary in one namespace watched by
// one controller; the CLI runs as a user would run it, against the test cluster's kubeconfig.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACTION_ANNOTATION, type CanaryAnalysis } from '@linnet/api';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  createTestNamespace,
  deleteTestNamespace,
  getCanary,
  getDeployment,
  readVirtualServiceRoutes,
  startController,
  startWebhookReceiver,
  testClusterEnv,
  testKubeAccess,
  waitForCanaryEvents,
  waitUntil,
  WaitTimeoutError,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import {
  applyManifests,
  DEPLOY_DIR,
  renderKustomization,
  waitForCrdsEstablished,
} from './support/install-manifests.ts';
import {
  createInitializedCanary,
  explainCanary,
  scenarioCanary,
  startRun,
  webhook,
  weightSteps,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';

const CLI = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));
const TIMEOUT_MS = 120_000;
const ROUTES_100_0 = { primaryWeight: 100, canaryWeight: 0, mirrored: false };

/** Runs `linnet <args>` with the test cluster's kubeconfig; resolves with stdout, rejects on a non-zero exit. */
async function linnet(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, KUBECONFIG: testClusterEnv().kubeconfig },
  });
  return stdout;
}

/** A run that walks slowly: one step at once, the next ten minutes later. */
const slowAnalysis: CanaryAnalysis = { interval: '10m', threshold: 1, stepWeight: 10, maxWeight: 50 };

describe('manual controls (linnet promote, abort, retry, pause, resume)', () => {
  let access: KubeAccess;
  let namespace: string;
  let controller: ControllerProcess;
  let hooks: WebhookReceiver;
  const canaries: ScenarioCanary[] = [];

  beforeAll(async () => {
    access = testKubeAccess();
    // The Canary CRD of this checkout (status.lastManualAction), in case the cluster was started with an older one.
    const admin = new KubeConfig();
    admin.loadFromFile(testClusterEnv().kubeconfig);
    const crds = renderKustomization(join(DEPLOY_DIR, 'crds'));
    await applyManifests(admin, crds);
    await waitForCrdsEstablished(admin, crds);
    namespace = await createTestNamespace(access, 'manual');
    hooks = await startWebhookReceiver();
    controller = await startController({ namespace });
  }, 90_000);

  afterAll(async () => {
    for (const canary of canaries) {
      console.log(await explainCanary(access, canary));
      await canary.recorder.stop();
    }
    await controller?.stop();
    await hooks?.close();
    if (namespace) await deleteTestNamespace(access, namespace);
  });

  async function initialized(name: string, analysis: CanaryAnalysis): Promise<ScenarioCanary> {
    const canary = await createInitializedCanary(access, scenarioCanary({ namespace, name, analysis }), {
      image: SEED_IMAGE_V1,
    });
    canaries.push(canary);
    return canary;
  }

  const why = (canary: ScenarioCanary) => async () =>
    `${await explainCanary(access, canary)}\ncontroller log (${controller.logFile}):\n${controller.tail(30)}`;

  async function expectRequestRemoved(canary: ScenarioCanary): Promise<void> {
    await waitUntil(
      `${canary.name}: manual-control annotations removed`,
      async () => {
        const annotations = (await getCanary(access, namespace, canary.name)).metadata?.annotations ?? {};
        return ACTION_ANNOTATION in annotations
          ? { done: false, seen: JSON.stringify(annotations) }
          : { done: true, value: undefined };
      },
      { timeoutMs: 10_000 },
    );
  }

  it(
    'promote: a run waiting ten minutes at 10% is promoted at once, without walking the other weights',
    async () => {
      const canary = await initialized('promote', slowAnalysis);
      await startRun(access, canary, SEED_IMAGE_V2);
      await canary.recorder.waitFor('Progressing at 10%', (row) => row.status === 'Progressing' && row.weight === 10, {
        timeoutMs: 60_000,
      });

      await linnet('promote', canary.name, '-n', namespace);
      await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded' || row.status === 'Failed', {
        timeoutMs: TIMEOUT_MS,
      });

      await withContext(why(canary), async () => {
        expect(canary.recorder.latest()?.status?.phase).toBe('Succeeded');
        expect(weightSteps(canary.recorder.rows())).toEqual([0, 10]);
        const primary = await getDeployment(access, namespace, `${canary.name}-primary`);
        expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V2);
        expect(await readVirtualServiceRoutes(access, namespace, canary.name)).toEqual(ROUTES_100_0);
        const status = (await getCanary(access, namespace, canary.name)).status;
        expect(status?.lastManualAction).toMatchObject({ action: 'promote', result: 'acted' });
        await expectRequestRemoved(canary);
        await waitForCanaryEvents(
          access,
          namespace,
          canary.name,
          [new RegExp(`^Promotion of ${canary.name}\\.${namespace} requested by linnet promote at `)],
          { timeoutMs: 10_000 },
        );
      });
    },
    TIMEOUT_MS + 90_000,
  );

  it(
    'abort: a run at 10% rolls back to Failed, all traffic to the untouched primary; retry starts it again',
    async () => {
      const canary = await initialized('abort', slowAnalysis);
      await startRun(access, canary, SEED_IMAGE_V2);
      await canary.recorder.waitFor('Progressing at 10%', (row) => row.status === 'Progressing' && row.weight === 10, {
        timeoutMs: 60_000,
      });

      await linnet('abort', canary.name, '-n', namespace);
      await canary.recorder.waitFor('Failed', (row) => row.status === 'Failed', { timeoutMs: 60_000 });

      await withContext(why(canary), async () => {
        expect(await readVirtualServiceRoutes(access, namespace, canary.name)).toEqual(ROUTES_100_0);
        const primary = await getDeployment(access, namespace, `${canary.name}-primary`);
        expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V1);
        expect((await getDeployment(access, namespace, canary.name))?.spec?.replicas).toBe(0);
        const status = (await getCanary(access, namespace, canary.name)).status;
        expect(status?.lastDecision).toMatchObject({
          reason: 'Aborted',
          message: expect.stringMatching(/aborted by linnet abort at \d{4}-\d\d-\d\dT/),
        });
        await expectRequestRemoved(canary);
      });

      // retry: the same revision runs again, from the start.
      const before = canary.recorder.rows().length;
      await linnet('retry', canary.name, '-n', namespace);
      await canary.recorder.waitFor(
        'Progressing at 10% again',
        (row) => row.status === 'Progressing' && row.weight === 10 && canary.recorder.rows().indexOf(row) >= before,
        { timeoutMs: 60_000 },
      );
      await withContext(why(canary), async () => {
        const rerun = canary.recorder.rows().slice(before);
        expect(rerun[0]).toMatchObject({ status: 'Progressing', weight: 0, failedChecks: 0 });
        const status = (await getCanary(access, namespace, canary.name)).status;
        expect(status).toMatchObject({ failedChecks: 0, lastManualAction: { action: 'retry', result: 'acted' } });
        expect((await getDeployment(access, namespace, canary.name))?.spec?.replicas).toBeGreaterThan(0);
        await expectRequestRemoved(canary);
      });
    },
    TIMEOUT_MS + 60_000,
  );

  it(
    'retry after a failed check: failedChecks back to 0 and the revision, healthy now, is promoted',
    async () => {
      hooks.answer('/gate', 500);
      const canary = await initialized('retry', {
        interval: '2s',
        threshold: 1,
        stepWeight: 25,
        maxWeight: 50,
        webhooks: [webhook('gate', 'rollout', hooks.url('/gate'))],
      });
      await startRun(access, canary, SEED_IMAGE_V2);
      const failed = await canary.recorder.waitFor('Failed', (row) => row.status === 'Failed', { timeoutMs: 60_000 });
      expect(failed.failedChecks).toBe(1);

      hooks.answer('/gate', 200);
      const before = canary.recorder.rows().length;
      await linnet('retry', canary.name, '-n', namespace);
      await canary.recorder.waitFor(
        'Succeeded after the retry',
        (row) =>
          (row.status === 'Succeeded' || row.status === 'Failed') && canary.recorder.rows().indexOf(row) >= before,
        { timeoutMs: TIMEOUT_MS },
      );
      await withContext(why(canary), async () => {
        const rerun = canary.recorder.rows().slice(before);
        expect(rerun[0]).toMatchObject({ status: 'Progressing', failedChecks: 0 });
        expect(weightSteps(rerun)).toEqual([0, 25, 50]);
        expect(canary.recorder.latest()?.status?.phase).toBe('Succeeded');
      });
    },
    TIMEOUT_MS + 60_000,
  );

  it(
    'pause freezes the weight, resume continues the run from there',
    async () => {
      const canary = await initialized('pause', { interval: '3s', threshold: 1, stepWeight: 10, maxWeight: 50 });
      await startRun(access, canary, SEED_IMAGE_V2);
      const paused = await canary.recorder.waitFor(
        'Progressing at 20%',
        (row) => row.status === 'Progressing' && row.weight >= 20,
        { timeoutMs: 60_000 },
      );
      await linnet('pause', canary.name, '-n', namespace);
      const suspendedWeight = await waitUntil(
        `${canary.name}: the controller reports the suspension`,
        async () => {
          const status = (await getCanary(access, namespace, canary.name)).status;
          return status?.lastDecision?.reason === 'Suspended'
            ? { done: true, value: status.canaryWeight ?? 0 }
            : { done: false, seen: JSON.stringify(status?.lastDecision) };
        },
        { timeoutMs: 30_000 },
      );
      const frozenAt = canary.recorder.rows().length;
      // An observation window, not synchronisation: three intervals in which a running analysis would step twice.
      await expect(
        canary.recorder.waitFor(
          'a weight change while suspended',
          (row) => canary.recorder.rows().indexOf(row) >= frozenAt && row.weight !== suspendedWeight,
          { timeoutMs: 9_000 },
        ),
      ).rejects.toThrow(WaitTimeoutError);
      expect(suspendedWeight).toBeGreaterThanOrEqual(paused.weight);

      await linnet('resume', canary.name, '-n', namespace);
      await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded' || row.status === 'Failed', {
        timeoutMs: TIMEOUT_MS,
      });
      await withContext(why(canary), () => {
        // The run goes on from the frozen weight: no step back, none skipped.
        const steps = weightSteps(canary.recorder.rows().slice(frozenAt));
        const expected = [];
        for (let weight = suspendedWeight + 10; weight <= 50; weight += 10) expected.push(weight);
        expect(steps.filter((weight) => weight !== suspendedWeight)).toEqual(expected);
        expect(canary.recorder.latest()?.status?.phase).toBe('Succeeded');
      });
    },
    TIMEOUT_MS + 60_000,
  );
});
