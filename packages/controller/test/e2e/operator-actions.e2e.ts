// What operators actually do to Canaries (issue 10), on the local cluster with the controller as a process: a healthy
// run raises no Warning; reverting the target mid-run ends the run at once; deleting the target mid-run sends all
// traffic back to the primary; names Kubernetes would refuse block the Canary before anything is created;
// revertOnDeletion gives back a VirtualService created without kubectl; a Canary deleted and applied again owns
// the same objects, and nothing is left once it is deleted for good.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CanaryAnalysis, CanaryService } from '@linnet/api';
import { resourceTypes, type KubeAccess, type KubeObject, type ResourceType } from '../../src/kube/index.ts';
import {
  applyObject,
  applyObjects,
  e2eTypes,
  getCanary,
  getDeployment,
  listCanaryEvents,
  readVirtualServiceRoutes,
  setImage,
  startE2eSuite,
  startWebhookReceiver,
  SuiteTeardown,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  waitUntil,
  type CanaryManifest,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import {
  createInitializedCanary,
  explainCanary,
  scenarioCanary,
  scenarioDeployment,
  webhook,
  withContext,
  type ScenarioCanary,
} from './support/scenario-canaries.ts';

const RUN_TIMEOUT_MS = 90_000;

let access: KubeAccess;
let namespace: string;
let controller: ControllerProcess;
let hooks: WebhookReceiver;
const teardown = new SuiteTeardown();

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  teardown.defer(() => hooks.close());
  ({ access, namespace, controller } = await startE2eSuite(teardown, 'e2e-operators'));
}, 120_000);

afterAll(async () => {
  console.log(`controller log: ${controller?.logFile}`);
  await teardown.run();
}, 60_000);

/** Steps of 10 up to 50, one rollout hook per check (counted by the receiver), no metrics. */
function analysis(name: string): CanaryAnalysis {
  return {
    interval: '5s',
    threshold: 2,
    stepWeight: 10,
    maxWeight: 50,
    webhooks: [webhook('load', 'rollout', hooks.url(`/${name}/load`))],
  };
}

async function initialized(name: string, spec: { revertOnDeletion?: boolean } = {}) {
  const manifest = scenarioCanary({ namespace, name, analysis: analysis(name) });
  const canary = await createInitializedCanary(access, { ...manifest, spec: { ...manifest.spec, ...spec } });
  teardown.defer(() => canary.recorder.stop());
  return canary;
}

async function runUntilWeight(canary: ScenarioCanary, weight: number): Promise<void> {
  await setImage(access, namespace, canary.name, SEED_IMAGE_V2);
  await canary.recorder.waitFor(`weight ${weight}`, (row) => row.status === 'Progressing' && row.weight >= weight, {
    timeoutMs: RUN_TIMEOUT_MS,
  });
}

const explain = (canary: ScenarioCanary) => () => explainCanary(access, canary);

/** Applies the target and the Canary; waits for InvalidSpec naming `field`; nothing may have been created. */
async function expectBlockedBeforeCreation(
  name: string,
  target: string,
  field: string,
  canary: CanaryManifest,
): Promise<void> {
  await applyObjects(access, [scenarioDeployment({ namespace, name: target }), canary]);
  const condition = await waitUntil(
    `InvalidSpec on ${name}`,
    async () => {
      const found = (await getCanary(access, namespace, name)).status?.conditions?.find(
        (candidate) => candidate.reason === 'InvalidSpec',
      );
      return found ? { done: true, value: found } : { done: false, seen: 'no InvalidSpec condition' };
    },
    { timeoutMs: 20_000 },
  );
  expect(condition.message).toContain(field);
  expect(await getDeployment(access, namespace, `${target}-primary`)).toBeUndefined();
  // The event is recorded just after the status write.
  await waitUntil(
    `a Warning InvalidSpec event on ${name}`,
    async () => {
      const events = await listCanaryEvents(access, namespace, name);
      const found = events.find((event) => event.type === 'Warning' && event.reason === 'InvalidSpec');
      return found ? { done: true, value: found } : { done: false, seen: JSON.stringify(events) };
    },
    { timeoutMs: 10_000 },
  );
}

describe('what operators do', () => {
  it(
    'a healthy run raises no Warning event (waits for pods are Normal events)',
    async () => {
      const canary = await initialized('healthy');
      await setImage(access, namespace, canary.name, SEED_IMAGE_V2);
      await canary.recorder.waitFor('Succeeded', (row) => row.status === 'Succeeded', { timeoutMs: RUN_TIMEOUT_MS });
      await controller.eventsWritten();
      const events = await listCanaryEvents(access, namespace, canary.name);
      await withContext(explain(canary), () => {
        expect(events.filter((event) => event.type === 'Warning')).toEqual([]);
        expect(events.map((event) => event.reason)).toContain('Succeeded');
      });
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'reverting the target to the primary spec mid-run ends the run at once: traffic on the primary, canary at zero',
    async () => {
      const canary = await initialized('revert');
      await runUntilWeight(canary, 20);
      const before = canary.recorder.rows().length;
      await setImage(access, namespace, canary.name, SEED_IMAGE_V1);
      const ended = await canary.recorder.waitFor(
        'the run to end after the revert',
        (row) => canary.recorder.rows().indexOf(row) >= before && row.status === 'Succeeded',
        { timeoutMs: 20_000 },
      );
      const hookCallsAtEnd = hooks.calls(`/revert/load`).length;
      // The next reconcile (the target scaled to zero) decides from the ended run: nothing more is called.
      await waitUntil(
        'the target scaled to zero',
        async () => {
          const target = await getDeployment(access, namespace, canary.name);
          return target?.spec?.replicas === 0 ? { done: true, value: target } : { done: false, seen: 'replicas > 0' };
        },
        { timeoutMs: 20_000 },
      );
      await controller.eventsWritten();
      const events = await listCanaryEvents(access, namespace, canary.name);
      const status = (await getCanary(access, namespace, canary.name)).status;
      await withContext(explain(canary), async () => {
        expect(ended.weight).toBe(0);
        expect(await readVirtualServiceRoutes(access, namespace, canary.name)).toMatchObject({
          primaryWeight: 100,
          canaryWeight: 0,
        });
        expect(events).toContainEqual(expect.objectContaining({ type: 'Normal', reason: 'TargetReverted' }));
        expect(events.filter((event) => event.type === 'Warning')).toEqual([]);
        expect(status?.lastDecision?.message).toMatch(/was reverted to the revision .* runs/);
        expect(hooks.calls(`/revert/load`)).toHaveLength(hookCallsAtEnd);
        expect(
          (await getDeployment(access, namespace, `${canary.name}-primary`))?.spec?.template.spec?.containers[0]?.image,
        ).toBe(SEED_IMAGE_V1);
      });
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'deleting the target mid-run sends all traffic back to the primary and says why',
    async () => {
      const canary = await initialized('gone');
      await runUntilWeight(canary, 20);
      const target = await getDeployment(access, namespace, canary.name);
      await access.delete(e2eTypes.deployment, { namespace, name: canary.name });
      const failed = await canary.recorder.waitFor('Failed after the deletion', (row) => row.status === 'Failed', {
        timeoutMs: 20_000,
      });
      await withContext(explain(canary), async () => {
        expect(failed.weight).toBe(0);
        expect(failed.decision).toMatch(/was deleted during the run/);
        expect(await readVirtualServiceRoutes(access, namespace, canary.name)).toMatchObject({
          primaryWeight: 100,
          canaryWeight: 0,
        });
        await controller.eventsWritten();
        expect(await listCanaryEvents(access, namespace, canary.name)).toContainEqual(
          expect.objectContaining({ type: 'Warning', reason: 'TargetDeleted' }),
        );
      });
      // The target comes back (GitOps re-sync): its revision is analysed in a new run.
      const restored = structuredClone(target) as KubeObject;
      delete restored.metadata?.resourceVersion;
      delete restored.metadata?.uid;
      delete restored.metadata?.managedFields;
      delete restored.metadata?.creationTimestamp;
      delete (restored as { status?: unknown }).status;
      await applyObject(access, restored);
      await canary.recorder.waitFor('Succeeded with the re-created target', (row) => row.status === 'Succeeded', {
        timeoutMs: RUN_TIMEOUT_MS,
      });
    },
    2 * RUN_TIMEOUT_MS,
  );

  it.each<[string, Partial<CanaryService>, string]>([
    ['an upper-case port name', { portName: 'UPPER' }, 'spec.service.portName'],
    ['an upper-case service name', { name: 'Backend' }, 'spec.service.name'],
    ['a CORS maxAge that is no duration', { corsPolicy: { maxAge: 'abc' } }, 'spec.service.corsPolicy.maxAge'],
  ])(
    '%s blocks the Canary with InvalidSpec naming the field, and nothing is created',
    async (_case, service, field) => {
      const name = `bad-${field.split('.').at(-1)?.toLowerCase()}`;
      const manifest = scenarioCanary({ namespace, name, analysis: analysis(name) });
      await expectBlockedBeforeCreation(name, name, field, {
        ...manifest,
        spec: { ...manifest.spec, service: { port: 9898, ...manifest.spec.service, ...service } },
      });
    },
    60_000,
  );

  it('a target name too long for <name>-primary blocks the Canary before anything is created', async () => {
    const target = `long-${'x'.repeat(52)}`;
    const manifest = scenarioCanary({ namespace, name: 'long', targetName: target, analysis: analysis('long') });
    // Without service.name the Services are named after the target.
    const { name: _serviceName, ...service } = manifest.spec.service ?? { port: 9898 };
    await expectBlockedBeforeCreation('long', target, 'spec.targetRef.name', {
      ...manifest,
      spec: { ...manifest.spec, service },
    });
  }, 60_000);

  it('an opted-in Deployment with linnet.dev/port-name: UPPER gets an InvalidAnnotation warning and no Canary', async () => {
    const name = 'opt-in-port';
    const deployment = scenarioDeployment({ namespace, name });
    deployment.metadata = {
      ...deployment.metadata,
      annotations: { 'linnet.dev/canary': 'enabled', 'linnet.dev/port-name': 'UPPER' },
    };
    await applyObject(access, deployment);
    const warning = await waitUntil(
      'Warning InvalidAnnotation on the Deployment naming linnet.dev/port-name',
      async () => {
        const { items } = await access.list(e2eTypes.event, { namespace });
        const found = items.find(
          (event) =>
            event.regarding.kind === 'Deployment' &&
            event.regarding.name === name &&
            event.type === 'Warning' &&
            event.reason === 'InvalidAnnotation',
        );
        return found ? { done: true, value: found } : { done: false, seen: `${items.length} events` };
      },
      { timeoutMs: 20_000 },
    );
    expect(warning.note).toContain('linnet.dev/port-name: must be a DNS label');
    expect(await access.get(e2eTypes.canary, { namespace, name })).toBeUndefined();
    expect(await getDeployment(access, namespace, `${name}-primary`)).toBeUndefined();
  }, 60_000);

  it(
    'revertOnDeletion restores a VirtualService created by server-side apply (no last-applied annotation)',
    async () => {
      const name = 'ssa-vs';
      const original = {
        hosts: [name],
        http: [{ route: [{ destination: { host: name, port: { number: 9898 } } }] }],
      };
      await applyObjects(access, [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace },
          spec: { selector: { app: name }, ports: [{ name: 'http', port: 9898, targetPort: 9898 }] },
        } as KubeObject,
        {
          apiVersion: 'networking.istio.io/v1beta1',
          kind: 'VirtualService',
          metadata: { name, namespace },
          spec: original,
        } as KubeObject,
      ]);
      const canary = await initialized(name, { revertOnDeletion: true });
      await access.delete(e2eTypes.canary, { namespace, name });
      await waitUntil(
        'the Canary gone',
        async () =>
          (await access.get(e2eTypes.canary, { namespace, name }))
            ? { done: false, seen: 'still there' }
            : { done: true, value: true },
        { timeoutMs: 60_000 },
      );
      const virtualService = await access.get(e2eTypes.virtualService, { namespace, name });
      await withContext(explain(canary), () => {
        expect(virtualService?.spec).toMatchObject(original);
      });
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'a Canary deleted and applied again owns the same objects, marked for Flux, and nothing is left after deletion',
    async () => {
      const name = 'again';
      const first = await initialized(name);
      const manifest = scenarioCanary({ namespace, name, analysis: analysis(name) });
      const firstUid = (await getCanary(access, namespace, name)).metadata?.uid;
      await access.delete(e2eTypes.canary, { namespace, name });
      await applyObject(access, manifest);

      type Generated = 'Service' | 'Deployment' | 'VirtualService';
      const typeOf: Record<Generated, ResourceType> = {
        Service: resourceTypes.service,
        Deployment: e2eTypes.deployment,
        VirtualService: e2eTypes.virtualService,
      };
      const live = (kind: Generated, objectName: string) => access.get(typeOf[kind], { namespace, name: objectName });
      const generated: [kind: Generated, name: string][] = [
        ['Deployment', `${name}-primary`],
        ['Service', name],
        ['Service', `${name}-primary`],
        ['Service', `${name}-canary`],
        ['VirtualService', name],
      ];
      const uid = await waitUntil(
        'the re-applied Canary to own what it generates',
        async () => {
          const canary = await access.get(e2eTypes.canary, { namespace, name });
          const current = canary?.metadata?.uid;
          if (!current || current === firstUid) return { done: false, seen: 'the first Canary' };
          if (canary.status?.phase !== 'Initialized') return { done: false, seen: `phase ${canary.status?.phase}` };
          for (const [kind, objectName] of generated) {
            const ownerUid = (await live(kind, objectName))?.metadata?.ownerReferences?.[0]?.uid;
            if (ownerUid !== current) return { done: false, seen: `${kind} ${objectName} owned by ${ownerUid}` };
          }
          return { done: true, value: current };
        },
        { timeoutMs: 60_000 },
      );
      const virtualService = await live('VirtualService', name);
      const apex = await live('Service', name);
      await withContext(explain(first), () => {
        expect(virtualService?.metadata?.ownerReferences?.[0]?.uid).toBe(uid);
        for (const object of [virtualService, apex]) {
          expect(object?.metadata?.annotations).toMatchObject({
            'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
            'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
          });
        }
      });
      expect((await getDeployment(access, namespace, `${name}-primary`))?.status?.readyReplicas).toBeGreaterThan(0);

      // Deleted for good: garbage collection removes everything it generated.
      await access.delete(e2eTypes.canary, { namespace, name });
      await waitUntil(
        'the generated objects to be garbage-collected',
        async () => {
          for (const [kind, objectName] of generated) {
            if (await live(kind, objectName)) return { done: false, seen: `${kind} ${objectName} still there` };
          }
          return { done: true, value: true };
        },
        { timeoutMs: 60_000 },
      );
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'a Canary applied again after its primary and VirtualService were garbage-collected owns the Services it finds',
    async () => {
      const name = 'later';
      await initialized(name);
      const manifest = scenarioCanary({ namespace, name, analysis: analysis(name) });
      await access.delete(e2eTypes.canary, { namespace, name });
      await waitUntil(
        'the primary and the VirtualService garbage-collected',
        async () => {
          const primary = await getDeployment(access, namespace, `${name}-primary`);
          const virtualService = await access.get(e2eTypes.virtualService, { namespace, name });
          return primary || virtualService ? { done: false, seen: 'still there' } : { done: true, value: true };
        },
        { timeoutMs: 60_000 },
      );
      await applyObject(access, manifest);
      const services = [name, `${name}-primary`, `${name}-canary`];
      await waitUntil(
        'every Service owned by the re-applied Canary',
        async () => {
          const canary = await access.get(e2eTypes.canary, { namespace, name });
          if (canary?.status?.phase !== 'Initialized') return { done: false, seen: `phase ${canary?.status?.phase}` };
          for (const service of services) {
            const live = await access.get(resourceTypes.service, { namespace, name: service });
            const owner = live?.metadata?.ownerReferences?.[0]?.uid;
            if (owner !== canary.metadata?.uid) return { done: false, seen: `${service} owned by ${owner}` };
          }
          return { done: true, value: true };
        },
        { timeoutMs: 60_000 },
      );
      await access.delete(e2eTypes.canary, { namespace, name });
      await waitUntil(
        'the Services garbage-collected after the final delete',
        async () => {
          for (const service of services) {
            if (await access.get(resourceTypes.service, { namespace, name: service })) {
              return { done: false, seen: `${service} still there` };
            }
          }
          return { done: true, value: true };
        },
        { timeoutMs: 60_000 },
      );
    },
    RUN_TIMEOUT_MS + 60_000,
  );
});
