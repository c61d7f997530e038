// No Canary can stall another (issue 9). Three Canaries are stuck on their checks: a rollout webhook that never
// answers, one retrying against a closed port, and a "Prometheus" that drips its answer one byte per second. Meanwhile
// a healthy Canary in another namespace completes its whole schedule with every step on time, on a controller with
// only two workers (-threadiness=2, Flagger's default: the isolation must not come from having many workers),
// although its own post-rollout hook never answers either. Deleting the stuck Canaries then frees everything at once
// (linnet_checks_in_flight, linnet_check_rounds).
//
// The suite's controller watches just its two namespaces (-namespace=<stuck>,<healthy>), so no other suite's Canaries
// are touched on the shared cluster, while both namespaces share its workers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  createSuiteNamespace,
  e2eTypes,
  SEED_IMAGE_V2,
  startSuiteController,
  startWebhookReceiver,
  SuiteTeardown,
  testKubeAccess,
  waitUntil,
  type CanaryStatusRow,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import {
  createInitializedCanary,
  explainCanary,
  PROMOTION_PHASES,
  scenarioCanary,
  startRun,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';
import { parsePrometheusText, sumSamples } from './support/scenario-probes.ts';
import { closedPortUrl, startDripServer, startHangingServer, type StallingServer } from './support/stalling-servers.ts';

const INTERVAL = '2s';
/** The largest lateness of a healthy step tolerated (issue 9: below 1 s). */
const MAX_DRIFT_MS = 1_000;
const teardown = new SuiteTeardown();

let access: KubeAccess;
/** The stuck Canaries' namespace. */
let namespace: string;
/** The healthy Canary's namespace. */
let healthyNamespace: string;
let controller: ControllerProcess;
let receiver: WebhookReceiver;
let hanging: StallingServer;
/** The healthy Canary's post-rollout hook: it never answers, and the run must end on time all the same. */
let hangingAfterRun: StallingServer;
let drip: StallingServer;

beforeAll(async () => {
  access = testKubeAccess();
  [namespace, healthyNamespace] = await Promise.all([
    createSuiteNamespace(teardown, access, 'e2e-isolation'),
    createSuiteNamespace(teardown, access, 'e2e-isolation-healthy'),
  ]);
  controller = await startSuiteController(teardown, {
    namespace: `${namespace},${healthyNamespace}`,
    label: 'isolation',
    extraFlags: ['-threadiness=2'],
  });
  [receiver, hanging, hangingAfterRun, drip] = await Promise.all([
    startWebhookReceiver(),
    startHangingServer(),
    startHangingServer(),
    startDripServer(),
  ]);
  teardown.defer(() => Promise.all([receiver.close(), hanging.close(), hangingAfterRun.close(), drip.close()]));
}, 120_000);

afterAll(() => teardown.run(), 60_000);

function track(canary: ScenarioCanary): ScenarioCanary {
  teardown.defer(() => canary.recorder.stop());
  return canary;
}

async function metric(name: string): Promise<number> {
  return sumSamples(parsePrometheusText(await controller.metrics()), name);
}

/**
 * Lateness of every status change of the run against the nextCheckTime the row before it announced: by the
 * controller's clock (lastTransitionTime, the decision's time) and as the test's watch saw the change.
 */
function stepDrifts(rows: readonly CanaryStatusRow[]): Array<{ step: string; driftMs: number; seenMs: number }> {
  const drifts: Array<{ step: string; driftMs: number; seenMs: number }> = [];
  for (let index = 1; index < rows.length; index++) {
    const before = rows[index - 1];
    const row = rows[index];
    if (!before || !row || !before.nextCheckTime) continue;
    if (before.status === row.status && before.weight === row.weight) continue;
    drifts.push({
      step: `${before.status}/${before.weight} -> ${row.status}/${row.weight}`,
      driftMs: Date.parse(row.lastTransitionTime) - Date.parse(before.nextCheckTime),
      seenMs: Date.parse(row.observedAt) - Date.parse(before.nextCheckTime),
    });
  }
  return drifts;
}

describe('isolation: a stuck check delays only its own Canary', () => {
  it('a healthy Canary keeps its schedule while three others hang on their checks; deleting them frees everything', async () => {
    const closedPort = await closedPortUrl('/rollout');
    const stuckSpecs = [
      {
        name: 'hanging-hook',
        analysis: {
          interval: INTERVAL,
          threshold: 50,
          stepWeight: 50,
          maxWeight: 50,
          webhooks: [{ name: 'hangs', type: 'rollout' as const, url: `${hanging.url}/rollout`, timeout: '60s' }],
        },
      },
      {
        name: 'closed-port-hook',
        analysis: {
          interval: INTERVAL,
          threshold: 50,
          stepWeight: 50,
          maxWeight: 50,
          webhooks: [{ name: 'refused', type: 'rollout' as const, url: closedPort, timeout: '5s', retries: 10 }],
        },
      },
      {
        name: 'drip-prometheus',
        metricsServer: drip.url,
        analysis: {
          interval: INTERVAL,
          threshold: 50,
          stepWeight: 50,
          maxWeight: 50,
          metrics: [{ name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } }],
        },
      },
    ];
    const [healthy, ...stuck] = await Promise.all([
      createInitializedCanary(
        access,
        scenarioCanary({
          namespace: healthyNamespace,
          name: 'healthy',
          analysis: {
            interval: INTERVAL,
            threshold: 2,
            stepWeight: 20,
            maxWeight: 60,
            webhooks: [
              { name: 'fast', type: 'rollout', url: receiver.url('/rollout'), timeout: '5s' },
              { name: 'hangs-after', type: 'post-rollout', url: `${hangingAfterRun.url}/post`, timeout: '60s' },
            ],
          },
        }),
      ),
      ...stuckSpecs.map((spec) => createInitializedCanary(access, scenarioCanary({ namespace, ...spec }))),
    ]).then((canaries) => canaries.map(track));
    if (!healthy) throw new Error('no healthy canary');
    const explain = async (): Promise<string> =>
      `${(await Promise.all([healthy, ...stuck].map((canary) => explainCanary(access, canary)))).join('\n')}\n` +
      `controller log (${controller.logFile}):\n${controller.tail(30)}`;

    try {
      // The stuck Canaries start first, and are really stuck on their checks before the healthy run starts.
      for (const canary of stuck) await startRun(access, canary, SEED_IMAGE_V2);
      await waitUntil(
        'the three stuck Canaries to have their checks running',
        async () => {
          const inFlight = await metric('linnet_checks_in_flight');
          const stalled = hanging.requests() > 0 && drip.requests() > 0;
          return inFlight >= 3 && stalled
            ? { done: true, value: undefined }
            : { done: false, seen: `in flight ${inFlight}, hanging ${hanging.requests()}, drip ${drip.requests()}` };
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );

      await startRun(access, healthy, SEED_IMAGE_V2);
      await healthy.recorder.waitFor('the healthy Canary to succeed', (row) => row.status === 'Succeeded', {
        timeoutMs: 90_000,
      });
      await waitUntil(
        'the post-rollout hook to be called',
        () => (hangingAfterRun.requests() > 0 ? { done: true, value: undefined } : { done: false, seen: 'not called' }),
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      const drifts = stepDrifts(healthy.recorder.rows());
      process.stdout.write(
        `isolation: healthy step drifts (ms): ${drifts.map((drift) => `${drift.step}: ${drift.driftMs} (seen at ${drift.seenMs})`).join(', ')}\n`,
      );
      // The weight steps after the first, the promotion and the end of the drain: each on time.
      expect(drifts.length).toBeGreaterThanOrEqual(4);
      expect(drifts.filter((drift) => drift.driftMs >= MAX_DRIFT_MS)).toEqual([]);
      // The stuck ones never got past the checks of their first step.
      for (const canary of stuck) {
        expect(canary.recorder.rows().filter((row) => PROMOTION_PHASES.includes(row.status))).toEqual([]);
        expect(canary.recorder.rows().filter((row) => row.weight > 50)).toEqual([]);
      }

      const deletedAt = Date.now();
      await Promise.all(stuck.map((canary) => access.delete(e2eTypes.canary, { namespace, name: canary.name })));
      await waitUntil(
        'no checks in flight, no check state and an empty queue after deleting the stuck Canaries',
        async () => {
          const text = parsePrometheusText(await controller.metrics());
          const left = {
            inFlight: sumSamples(text, 'linnet_checks_in_flight'),
            rounds: sumSamples(text, 'linnet_check_rounds'),
            queued: sumSamples(text, 'linnet_workqueue_depth'),
            // The cancelled calls closed their connections: the AbortSignal reached the HTTP clients.
            connections: (await hanging.openConnections()) + (await drip.openConnections()),
          };
          return Object.values(left).every((count) => count === 0)
            ? { done: true, value: undefined }
            : { done: false, seen: JSON.stringify(left) };
        },
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      process.stdout.write(`isolation: freed ${Date.now() - deletedAt} ms after the deletions\n`);
    } catch (error) {
      if (error instanceof Error) error.message += `\n\n${await explain()}`;
      throw error;
    }
  }, 240_000);
});
