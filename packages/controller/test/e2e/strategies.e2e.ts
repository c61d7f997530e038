// Scenario 5: the strategies other than the plain canary (reference §2.3, §5.2). A/B testing sends only requests
// matching analysis.match to the canary; blue/green runs its iterations on 100/0, then moves all traffic to the
// canary before promoting; mirroring shadows primary traffic to the canary for one step before any live weight.
// Every VirtualService version is recorded from a watch, so the tests assert the exact sequence of routes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  listCanaryEvents,
  primaryImage,
  SEED_IMAGE_V2,
  startE2eSuite,
  SuiteTeardown,
  waitUntil,
  type ControllerProcess,
} from './support/index.ts';
import type { ObjectRecorder } from './support/object-recorder.ts';
import {
  createInitializedCanary,
  explainWithRoutes,
  phasesSince,
  scenarioCanary,
  startRun,
  successRate,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';
import {
  collapseRepeats,
  countEvents,
  describeSplit,
  meshWorkloadRates,
  recordVirtualService,
  routeSplit,
  type VirtualServiceView,
} from './support/scenario-probes.ts';

const RUN_TIMEOUT_MS = 150_000;
const teardown = new SuiteTeardown();

let access: KubeAccess;
let namespace: string;
let controller: ControllerProcess;

beforeAll(async () => {
  ({ access, namespace, controller } = await startE2eSuite(teardown, 'e2e-strategies', { label: 'strategies' }));
}, 120_000);

afterAll(() => teardown.run(), 60_000);

/** Keeps the Canary's status recorder until teardown and records its VirtualService until then too. */
async function track(canary: ScenarioCanary): Promise<ObjectRecorder<VirtualServiceView>> {
  teardown.defer(() => canary.recorder.stop());
  const routes = await recordVirtualService(access, canary);
  teardown.defer(() => routes.stop());
  return routes;
}

/** The distinct splits the VirtualService went through, e.g. ["100/0", "0/100", "100/0"]. */
function splitHistory(routes: ObjectRecorder<VirtualServiceView>, service: string): string[] {
  const splits = routes.versions.map((version) => describeSplit(routeSplit(version.object, service)));
  return collapseRepeats(splits, (split) => split);
}

/** Event messages matching `pattern`, in the order they were first recorded. */
async function eventMessages(name: string, pattern: RegExp): Promise<string[]> {
  await controller.eventsWritten();
  const events = await listCanaryEvents(access, namespace, name);
  return events.filter((event) => pattern.test(event.message)).map((event) => event.message);
}

describe('scenario 5: strategies', () => {
  it(
    'A/B testing: only requests matching analysis.match reach the canary, then it promotes',
    async () => {
      const name = 'abtest';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          // 20 req/s through the VirtualService: the simulator's default match fraction 0.1 gives the canary 2 req/s.
          apexAnnotations: { 'sim.linnet.dev/rate': '20' },
          analysis: {
            interval: '3s',
            threshold: 3,
            iterations: 3,
            match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
            metrics: [successRate()],
          },
        }),
      );
      const routes = await track(canary);
      await withContext(
        explainWithRoutes(access, canary, () => splitHistory(routes, name)),
        async () => {
          await startRun(access, canary, SEED_IMAGE_V2);
          const abRoutes = await waitUntil(
            'the A/B match route to send matching requests to the canary',
            () => {
              const vs = routes.latest(name);
              const split = routeSplit(vs, name);
              return split?.canaryWeight === 100 && vs
                ? { done: true, value: vs }
                : { done: false, seen: describeSplit(split) };
            },
            { timeoutMs: RUN_TIMEOUT_MS },
          );
          expect(canary.recorder.latest()?.status?.phase).toBe('Progressing');
          const http = abRoutes.spec?.http ?? [];
          expect(http).toHaveLength(2);
          expect(http[0]?.match).toEqual([{ headers: { 'x-canary': { exact: 'insider' } } }]);
          expect(http[0]?.route).toEqual([
            { destination: { host: `${name}-primary` }, weight: 0 },
            { destination: { host: `${name}-canary` }, weight: 100 },
          ]);
          // Everything that does not match stays on the primary.
          expect(http[1]?.match).toBeUndefined();
          expect(http[1]?.route?.map((destination) => destination.destination.host)).toEqual([`${name}-primary`]);

          // What the mesh makes of it: the canary gets the matched tenth of the 20 req/s, the primary the rest.
          const rates = await waitUntil(
            'the simulator to route by the A/B routes',
            async () => {
              const plan = await meshWorkloadRates(namespace);
              const rate = (workload: string): number =>
                plan.find((entry) => entry.workload === workload)?.ratePerSecond ?? 0;
              const value = { canary: rate(name), primary: rate(`${name}-primary`) };
              return value.canary > 0 ? { done: true, value } : { done: false, seen: JSON.stringify(plan) };
            },
            { timeoutMs: 20_000 },
          );
          expect(Math.abs(rates.canary - 2)).toBeLessThan(0.2);
          expect(Math.abs(rates.primary - 18)).toBeLessThan(0.2);

          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          expect(await eventMessages(name, /canary iteration/)).toEqual([
            `Advance ${name}.${namespace} canary iteration 1/3`,
            `Advance ${name}.${namespace} canary iteration 2/3`,
            `Advance ${name}.${namespace} canary iteration 3/3`,
          ]);
          expect(phasesSince(canary.recorder.rows(), 'Progressing')).toEqual([
            'Progressing',
            'Promoting',
            'Finalising',
            'Succeeded',
          ]);
          expect(await primaryImage(access, namespace, name)).toBe(SEED_IMAGE_V2);
          // The match route never split matching requests other than all-or-nothing, and ends back on the primary.
          expect(splitHistory(routes, name)).toEqual(['100/0', '0/100', '100/0']);
        },
      );
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    'blue/green: iterations on 100/0, then all traffic to the canary, then promotion',
    async () => {
      const name = 'bluegreen';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          analysis: { interval: '2s', threshold: 3, iterations: 3, metrics: [successRate()] },
        }),
      );
      const routes = await track(canary);
      await withContext(
        explainWithRoutes(access, canary, () => splitHistory(routes, name)),
        async () => {
          // Blue/green gives the canary no route traffic while it is analysed: the load tester's traffic is what it sees.
          await teardown.loadJobs.start({ namespace, service: `${name}-canary`, rate: 10, durationSeconds: 600 });

          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });

          expect(await eventMessages(name, /canary iteration|Routing all traffic|Copying/)).toEqual([
            `Advance ${name}.${namespace} canary iteration 1/3`,
            `Advance ${name}.${namespace} canary iteration 2/3`,
            `Advance ${name}.${namespace} canary iteration 3/3`,
            'Routing all traffic to canary',
            `Copying ${name}.${namespace} template spec to ${name}-primary.${namespace}`,
            'Routing all traffic to primary',
          ]);
          expect(splitHistory(routes, name)).toEqual(['100/0', '0/100', '100/0']);
          // The switch to the canary happened before the promotion started (the primary rolls without serving).
          const switchedAt = routes.versions.find((version) => routeSplit(version.object, name)?.canaryWeight === 100);
          const promotingAt = canary.recorder.rows().find((row) => row.status === 'Promoting');
          expect(switchedAt).toBeDefined();
          expect(promotingAt).toBeDefined();
          expect(switchedAt?.seenAtMs ?? Infinity).toBeLessThan(Date.parse(promotingAt?.observedAt ?? ''));
          expect(phasesSince(canary.recorder.rows(), 'Progressing')).toEqual([
            'Progressing',
            'Promoting',
            'Finalising',
            'Succeeded',
          ]);
          expect(await primaryImage(access, namespace, name)).toBe(SEED_IMAGE_V2);
        },
      );
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'mirroring: the first step mirrors primary traffic (mirrorWeight %) to the canary, the next one stops it',
    async () => {
      const name = 'shadow';
      const canary = await createInitializedCanary(
        access,
        scenarioCanary({
          namespace,
          name,
          analysis: {
            interval: '3s',
            threshold: 3,
            stepWeight: 20,
            maxWeight: 40,
            mirror: true,
            mirrorWeight: 50,
            metrics: [successRate()],
          },
        }),
      );
      const routes = await track(canary);
      await withContext(
        explainWithRoutes(access, canary, () => splitHistory(routes, name)),
        async () => {
          await startRun(access, canary, SEED_IMAGE_V2);
          await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', {
            timeoutMs: RUN_TIMEOUT_MS,
          });
          await controller.eventsWritten();
          const events = await listCanaryEvents(access, namespace, name);

          expect(splitHistory(routes, name)).toEqual(['100/0', '100/0 mirror 50%', '80/20', '60/40', '100/0']);
          const mirrored = routes.versions.find((version) => routeSplit(version.object, name)?.mirrored);
          const weighted = mirrored?.object.spec?.http?.at(-1);
          expect(weighted?.mirror).toEqual({ host: `${name}-canary` });
          expect(weighted?.mirrorPercentage).toEqual({ value: 50 });
          // The mirror step is a Progressing step at weight 0, after the run started and before the first weight.
          const mirroredAt = mirrored?.seenAtMs ?? 0;
          const rows = canary.recorder.rows();
          const started = rows.find((row) => row.status === 'Progressing');
          const firstWeight = rows.find((row) => row.status === 'Progressing' && row.weight > 0);
          expect(Date.parse(started?.observedAt ?? '')).toBeLessThanOrEqual(mirroredAt);
          expect(Date.parse(firstWeight?.observedAt ?? '')).toBeGreaterThan(mirroredAt);
          expect(countEvents(events, /Advance shadow\.\S+ canary weight 20/)).toBe(1);
          expect(await primaryImage(access, namespace, name)).toBe(SEED_IMAGE_V2);
        },
      );
    },
    RUN_TIMEOUT_MS + 60_000,
  );
});
