// Annotation opt-in end to end (docs/annotations.md): a Deployment annotated `linnet.dev/canary: enabled` gets a
// generated Canary owned by it, which the controller initialises; an annotation edit updates the Canary, a
// malformed annotation warns on the Deployment and changes nothing, and removing the opt-in deletes the Canary and
// gives the workload its traffic back (revertOnDeletion).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  applyObjects,
  e2eTypes,
  explainWithControllerLog,
  getCanary,
  getDeployment,
  readVirtualServiceRoutes,
  recordCanaryStatus,
  seedDeployment,
  startE2eSuite,
  waitUntil,
  SuiteTeardown,
  SEED_IMAGE_V1,
  type CanaryStatusRecorder,
  type ControllerProcess,
  type DeploymentManifest,
} from './support/index.ts';
import { defineResourceType, resourceTypes, type KubeAccess, type KubeObject } from '../../src/kube/index.ts';

const NAME = 'backend';
const REPLICAS = 2;
const TIMEOUT_MS = 60_000;

interface ServiceObject extends KubeObject {
  spec?: { selector?: Record<string, string> };
}
const serviceType = defineResourceType<ServiceObject>(resourceTypes.service);

describe('annotation opt-in', () => {
  let access: KubeAccess;
  let namespace: string;
  let controller: ControllerProcess;
  let recorder: CanaryStatusRecorder;

  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    ({ access, namespace, controller } = await startE2eSuite(teardown, 'opt-in'));
    recorder = recordCanaryStatus(access, namespace, NAME);
    teardown.defer(() => recorder.stop());
  }, 90_000);

  afterAll(async () => {
    console.log(
      `annotation opt-in, namespace ${namespace}:\n${recorder?.table()}\ncontroller log: ${controller?.logFile}`,
    );
    await teardown.run();
  });

  const why = (): string => explainWithControllerLog(recorder, controller);

  const annotate = (annotations: Record<string, string | null>): Promise<unknown> =>
    access.mergePatch(e2eTypes.deployment, { namespace, name: NAME }, { metadata: { annotations } });

  async function stepWeight(): Promise<number | undefined> {
    return (await getCanary(access, namespace, NAME)).spec.analysis?.stepWeight;
  }

  async function waitForStepWeight(expected: number): Promise<void> {
    await waitUntil(
      `Canary ${NAME} spec.analysis.stepWeight ${expected}`,
      async () => {
        const current = await stepWeight();
        return current === expected ? { done: true, value: current } : { done: false, seen: `${current}` };
      },
      { timeoutMs: TIMEOUT_MS },
    ).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
    });
  }

  /** Events about the Deployment NAME (events.k8s.io/v1). */
  async function deploymentEvents(): Promise<Array<{ type: string; reason: string; note: string }>> {
    const { items } = await access.list(e2eTypes.event, { namespace });
    return items
      .filter((event) => event.regarding.kind === 'Deployment' && event.regarding.name === NAME)
      .map(({ type, reason, note }) => ({ type, reason, note }));
  }

  it(
    'generates a Canary owned by the annotated Deployment, which the controller initialises',
    async () => {
      const deployment: DeploymentManifest = seedDeployment({ namespace, name: NAME, image: SEED_IMAGE_V1 });
      deployment.metadata = {
        ...deployment.metadata,
        annotations: {
          'linnet.dev/canary': 'enabled',
          'linnet.dev/interval': '2s',
          'linnet.dev/metric-interval': '10s',
        },
      };
      await applyObjects(access, [deployment]);

      const canary = await waitUntil(
        `the generated Canary ${NAME}`,
        async () => {
          const found = await access.get(e2eTypes.canary, { namespace, name: NAME });
          return found ? { done: true, value: found } : { done: false, seen: 'no Canary' };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });
      const live = await getDeployment(access, namespace, NAME);
      expect(canary.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ apiVersion: 'apps/v1', kind: 'Deployment', name: NAME, uid: live?.metadata?.uid }),
      ]);
      expect(canary.metadata?.ownerReferences?.[0]?.controller).toBe(true);
      expect(canary.metadata?.labels).toMatchObject({ 'linnet.dev/managed-by-annotations': 'true' });
      expect(canary.spec).toMatchObject({
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
        revertOnDeletion: true,
        service: { port: 9898 },
        analysis: {
          interval: '2s',
          threshold: 5,
          stepWeight: 10,
          maxWeight: 50,
          metrics: [
            { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
            { name: 'request-duration', interval: '10s', thresholdRange: { max: 500 } },
          ],
        },
      });

      await recorder
        .waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: TIMEOUT_MS })
        .catch((error: unknown) => {
          throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
        });
      const primary = await getDeployment(access, namespace, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V1);
      expect((await getDeployment(access, namespace, NAME))?.spec?.replicas).toBe(0);
      // The primary serves: the apex Service selects its pods and the VirtualService sends it all traffic.
      expect((await access.get(serviceType, { namespace, name: NAME }))?.spec?.selector).toEqual({
        app: `${NAME}-primary`,
      });
      expect(await readVirtualServiceRoutes(access, namespace, NAME)).toEqual({
        primaryWeight: 100,
        canaryWeight: 0,
        mirrored: false,
      });
      // The primary carries the workload's annotations but is never opted in itself.
      expect(await access.get(e2eTypes.canary, { namespace, name: `${NAME}-primary` })).toBeUndefined();
      expect(await deploymentEvents()).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'Normal', reason: 'CanaryCreated' })]),
      );
    },
    TIMEOUT_MS * 2 + 10_000,
  );

  it(
    'updates the Canary when an annotation is edited',
    async () => {
      await annotate({ 'linnet.dev/step-weight': '25' });
      await waitForStepWeight(25);
      await waitUntil(
        'event CanaryUpdated on the Deployment',
        async () => {
          const events = await deploymentEvents();
          return events.some((event) => event.type === 'Normal' && event.reason === 'CanaryUpdated')
            ? { done: true, value: events }
            : { done: false, seen: JSON.stringify(events) };
        },
        { timeoutMs: 10_000 },
      );
    },
    TIMEOUT_MS + 20_000,
  );

  it(
    'warns on the Deployment about a malformed annotation and keeps the Canary as it was',
    async () => {
      await annotate({ 'linnet.dev/step-weight': 'ten' });
      const warning = await waitUntil(
        'Warning InvalidAnnotation on the Deployment naming linnet.dev/step-weight',
        async () => {
          const events = await deploymentEvents();
          const found = events.find(
            (event) =>
              event.type === 'Warning' &&
              event.reason === 'InvalidAnnotation' &&
              event.note.includes('linnet.dev/step-weight'),
          );
          return found ? { done: true, value: found } : { done: false, seen: JSON.stringify(events) };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });
      expect(warning.note).toBe('linnet.dev/step-weight: must be an integer between 1 and 100 (got "ten")');
      // The warning was recorded after the reconcile that would have changed the Canary: it kept its step weight.
      expect(await stepWeight()).toBe(25);
    },
    TIMEOUT_MS + 20_000,
  );

  it(
    "refuses a gateway outside the operator's opt-in policy with a warning naming the policy",
    async () => {
      await annotate({ 'linnet.dev/step-weight': '25', 'linnet.dev/gateways': 'istio-system/public-gateway' });
      const warning = await waitUntil(
        'Warning InvalidAnnotation on the Deployment naming -opt-in-allowed-gateways',
        async () => {
          const events = await deploymentEvents();
          const found = events.find(
            (event) => event.reason === 'InvalidAnnotation' && event.note.includes('-opt-in-allowed-gateways'),
          );
          return found ? { done: true, value: found } : { done: false, seen: JSON.stringify(events) };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });
      expect(warning).toEqual({
        type: 'Warning',
        reason: 'InvalidAnnotation',
        note:
          'linnet.dev/gateways: gateway "istio-system/public-gateway" is not allowed by the operator\'s opt-in ' +
          'policy (-opt-in-allowed-gateways: none)',
      });
      expect((await getCanary(access, namespace, NAME)).spec.service?.gateways ?? []).not.toContain(
        'istio-system/public-gateway',
      );
      await annotate({ 'linnet.dev/gateways': null });
    },
    TIMEOUT_MS + 20_000,
  );

  it(
    'deletes the Canary when the opt-in is removed and the workload serves directly again',
    async () => {
      const canaryUid = (await getCanary(access, namespace, NAME)).metadata?.uid;
      await annotate({ 'linnet.dev/canary': null, 'linnet.dev/step-weight': null });
      await waitUntil(
        `Canary ${NAME} to be deleted (NotFound)`,
        async () => {
          const canary = await access.get(e2eTypes.canary, { namespace, name: NAME });
          return canary
            ? {
                done: false,
                seen: `uid ${canary.metadata?.uid} (was ${canaryUid}), finalizers ${JSON.stringify(canary.metadata?.finalizers ?? [])}`,
              }
            : { done: true, value: undefined };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });

      // revertOnDeletion: the target is scaled back up to its own replica count ...
      const target = await getDeployment(access, namespace, NAME);
      expect(target?.spec?.replicas).toBe(REPLICAS);
      // ... and what Linnet generated is removed, so nothing routes to the primary any more.
      await waitUntil(
        `the generated objects of ${NAME} to be gone`,
        async () => {
          const left: string[] = [];
          if (await getDeployment(access, namespace, `${NAME}-primary`)) left.push(`deployment ${NAME}-primary`);
          for (const generated of [`${NAME}-primary`, `${NAME}-canary`]) {
            if (await access.get(serviceType, { namespace, name: generated })) left.push(`service ${generated}`);
          }
          const services = await access.list(serviceType, { namespace });
          for (const service of services.items) {
            if (service.spec?.selector?.app === `${NAME}-primary`) {
              left.push(`service ${service.metadata?.name} → ${NAME}-primary`);
            }
          }
          const virtualServices = await access.list(e2eTypes.virtualService, { namespace });
          for (const virtualService of virtualServices.items) {
            if (JSON.stringify(virtualService.spec).includes(`${NAME}-primary`)) {
              left.push(`virtualservice ${virtualService.metadata?.name} → ${NAME}-primary`);
            }
          }
          return left.length === 0 ? { done: true, value: undefined } : { done: false, seen: left.join(', ') };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });
      await waitUntil(
        'event CanaryDeleted on the Deployment',
        async () => {
          const events = await deploymentEvents();
          return events.some((event) => event.type === 'Normal' && event.reason === 'CanaryDeleted')
            ? { done: true, value: events }
            : { done: false, seen: JSON.stringify(events) };
        },
        { timeoutMs: 10_000 },
      );
      // Reported once, though the Canary's deletion (finalizer, routing revert) updates it several times.
      const deletions = (await access.list(e2eTypes.event, { namespace })).items.filter(
        (event) => event.regarding.name === NAME && event.reason === 'CanaryDeleted',
      );
      expect(deletions.map((event) => event.series?.count ?? 1)).toEqual([1]);
      // The opt-out sticks: no Canary is generated again.
      expect(await access.get(e2eTypes.canary, { namespace, name: NAME })).toBeUndefined();
    },
    TIMEOUT_MS * 2 + 20_000,
  );
});
