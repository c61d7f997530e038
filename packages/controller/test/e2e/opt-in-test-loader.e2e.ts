// Annotating a Deployment is the whole set-up (docs/annotations.md "The private test loader"): a workload whose
// opt-in asks for a load test gets a generated Canary and its own test loader — Deployment, Service (port 8080) and
// token Secret `<workload>-testloader`, all owned by the Canary. A new version rolls out on that loader's load and is
// promoted, a bad one is rolled back, and opting out removes the loader with the Canary and gives the workload its
// traffic back. Annotations that name their own load-tester-url get no loader.
//
// What runs where: the local cluster's pods are kwok fakes, so the loader's pod does not run. The same test-loader
// code runs as a local process with the token read from the generated Secret; the controller reaches it under its
// in-cluster name, http://backend-testloader.<namespace>:8080/, through the testenv's cluster service proxy
// (HTTP_PROXY), and its `hey` load becomes mesh simulator traffic (--mesh-simulator-url).
//
// The controller runs on the token of the namespaced install's ServiceAccount (deploy/namespaced/, its Role in the
// test namespace), so a permission the private test loader needed and the install lacked would fail the suite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterServiceProxyEnv, startClusterServiceProxy, type ClusterServiceProxy } from '@linnet/testenv';
import {
  applyObjects,
  e2eTypes,
  explainWithControllerLog,
  getCanary,
  getDeployment,
  readVirtualServiceRoutes,
  recordCanaryStatus,
  seedDeployment,
  setImage,
  createSuiteNamespace,
  startSuiteController,
  statusSequence,
  testClusterEnv,
  testKubeAccess,
  waitUntil,
  SuiteTeardown,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  SEED_IMAGE_V3,
  type CanaryStatusRecorder,
  type ControllerProcess,
  type DeploymentManifest,
} from './support/index.ts';
import {
  DEPLOY_DIR,
  applyManifests,
  renderKustomization,
  requestServiceAccountToken,
  setNamespace,
  writeTokenKubeconfig,
} from './support/install-manifests.ts';
import { startTestLoader, type TestLoaderProcess } from './support/testloader-process.ts';
import { defineResourceType, resourceTypes, type KubeAccess, type KubeObject } from '../../src/kube/index.ts';

const NAME = 'backend';
const LOADER = `${NAME}-testloader`;
const TOKEN_SECRET = `${LOADER}-token`;
const IMAGE = 'registry.local/linnet/testloader:e2e';
const TIMEOUT_MS = 60_000;
/** Initialisation plus one run of 5 analysis steps at 5 s, with room for a busy machine. */
const RUN_TIMEOUT_MS = 150_000;

interface ContainerView {
  image?: string;
  args?: string[];
}
interface LoaderObject extends KubeObject {
  spec?: {
    ports?: Array<{ port?: number }>;
    template?: { spec?: { containers?: ContainerView[] } };
  };
  data?: Record<string, string>;
}
const secretType = defineResourceType<LoaderObject>(resourceTypes.secret);
const serviceType = defineResourceType<LoaderObject>(resourceTypes.service);
const deploymentType = defineResourceType<LoaderObject>(resourceTypes.deployment);

/** The seed workload opted in by annotations, with the seed's load test and fast local timings. */
function annotatedDeployment(namespace: string, name: string, extra: Record<string, string> = {}): DeploymentManifest {
  const deployment = seedDeployment({ namespace, name, image: SEED_IMAGE_V1 });
  deployment.metadata = {
    ...deployment.metadata,
    annotations: {
      'linnet.dev/canary': 'enabled',
      'linnet.dev/interval': '5s',
      'linnet.dev/threshold': '2',
      'linnet.dev/metric-interval': '15s',
      'linnet.dev/load-test': `hey -z 1m -q 10 -c 2 http://${name}-canary.${namespace}:9898/`,
      ...extra,
    },
  };
  return deployment;
}

describe('annotation opt-in with its own test loader', () => {
  let access: KubeAccess;
  let namespace: string;
  let controller: ControllerProcess;
  let recorder: CanaryStatusRecorder;
  let proxy: ClusterServiceProxy;
  let loader: TestLoaderProcess | undefined;
  let token = '';
  const tokenDir = mkdtempSync(join(tmpdir(), 'linnet-e2e-token-'));

  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    teardown.defer(async () => rmSync(tokenDir, { recursive: true, force: true }));
    proxy = await startClusterServiceProxy();
    teardown.defer(() => proxy.close());
    access = testKubeAccess();
    namespace = await createSuiteNamespace(teardown, access, 'optin-loader');
    // The namespaced install into the test namespace (as an overlay with `namespace:` would), minus its pod.
    const admin = new KubeConfig();
    admin.loadFromFile(testClusterEnv().kubeconfig);
    const install = setNamespace(renderKustomization(join(DEPLOY_DIR, 'namespaced')), namespace);
    await applyManifests(
      admin,
      install.filter((object) => object.kind !== 'Deployment'),
    );
    const serviceAccountKubeconfig = join(tokenDir, 'kubeconfig');
    writeTokenKubeconfig(
      testClusterEnv().kubeconfig,
      await requestServiceAccountToken(admin, namespace, 'linnet'),
      serviceAccountKubeconfig,
    );
    controller = await startSuiteController(teardown, {
      namespace,
      env: clusterServiceProxyEnv(proxy),
      extraFlags: [`-kubeconfig=${serviceAccountKubeconfig}`, `-test-loader-image=${IMAGE}`],
    });
    recorder = recordCanaryStatus(access, namespace, NAME);
    teardown.defer(() => recorder.stop());
  }, 90_000);

  afterAll(async () => {
    console.log(
      `opt-in test loader, namespace ${namespace}:\n${recorder?.table()}\ncontroller log: ${controller?.logFile}`,
    );
    await loader?.stop();
    await teardown.run();
  });

  const why = (): string =>
    `${explainWithControllerLog(recorder, controller)}\ntest loader output:\n${loader?.output().slice(-3000) ?? '(not started)'}`;
  const explain = (error: unknown): never => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
  };

  async function waitForObject(type: typeof secretType, name: string): Promise<LoaderObject> {
    return waitUntil(
      `${type.kind} ${name}`,
      async () => {
        const found = await access.get(type, { namespace, name });
        return found ? { done: true, value: found } : { done: false, seen: 'not found' };
      },
      { timeoutMs: TIMEOUT_MS },
    ).catch(explain);
  }

  it(
    'creates the Canary and its test loader (Deployment, Service, token Secret), all owned by the Canary',
    async () => {
      await applyObjects(access, [annotatedDeployment(namespace, NAME)]);
      const canary = await waitUntil(
        `the generated Canary ${NAME}`,
        async () => {
          const found = await access.get(e2eTypes.canary, { namespace, name: NAME });
          return found ? { done: true, value: found } : { done: false, seen: 'no Canary' };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch(explain);
      expect(canary.spec.analysis?.webhooks).toEqual([
        expect.objectContaining({ name: 'load-test', type: 'rollout', url: `http://${LOADER}.${namespace}:8080/` }),
      ]);

      const secret = await waitForObject(secretType, TOKEN_SECRET);
      const deployment = await waitForObject(deploymentType, LOADER);
      const service = await waitForObject(serviceType, LOADER);
      for (const object of [secret, deployment, service]) {
        expect(object.metadata?.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'Canary', name: NAME, uid: canary.metadata?.uid, controller: true }),
        ]);
      }
      expect(service.spec?.ports?.map((port) => port.port)).toEqual([8080]);
      const container = deployment.spec?.template?.spec?.containers?.[0];
      expect(container?.image).toBe(IMAGE);
      expect(container?.args).toEqual(expect.arrayContaining(['--token-file=/var/run/linnet/testloader/token']));
      expect(container?.args?.some((arg) => arg.includes('shell'))).toBe(false);

      // The loader's code, as a local process with the generated token, stands in for the fake pod.
      token = Buffer.from(secret.data?.token ?? '', 'base64').toString();
      expect(token.length).toBeGreaterThanOrEqual(32);
      const tokenFile = join(tokenDir, 'token');
      writeFileSync(tokenFile, token, { mode: 0o600 });
      loader = await startTestLoader({
        token,
        args: [
          `--token-file=${tokenFile}`,
          `--namespace-regexp=^${namespace}$`,
          `--mesh-simulator-url=${testClusterEnv().meshSimulatorUrl}`,
        ],
      });
      proxy.route(`${LOADER}.${namespace}:8080`, loader.url);

      await recorder
        .waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: TIMEOUT_MS })
        .catch(explain);
    },
    TIMEOUT_MS * 3,
  );

  it(
    "rolls a new version out on the test loader's load and promotes it",
    async () => {
      const before = recorder.rows().length;
      const earlier = new Set(recorder.rows());
      await setImage(access, namespace, NAME, SEED_IMAGE_V2);
      await recorder
        .waitFor(
          'phase Succeeded (or Failed)',
          (row) => !earlier.has(row) && (row.status === 'Succeeded' || row.status === 'Failed'),
          {
            timeoutMs: RUN_TIMEOUT_MS,
          },
        )
        .catch(explain);
      const sequence = statusSequence(recorder.rows().slice(before));
      expect({ last: sequence.at(-1), why: why() }).toEqual({ last: 'Succeeded/0', why: why() });
      expect(
        (await getDeployment(access, namespace, `${NAME}-primary`))?.spec?.template.spec?.containers[0]?.image,
      ).toBe(SEED_IMAGE_V2);
      // The rollout hooks went to the loader under its in-cluster name and were accepted with the token ...
      expect(proxy.requests().get(`${LOADER}.${namespace}:8080`)).toBeGreaterThanOrEqual(1);
      expect(await loader?.requestCount('/', 202)).toBeGreaterThanOrEqual(1);
      // ... and its hey load reached the canary as mesh traffic from the load tester.
      expect(loader?.output()).toContain(`load on ${NAME}-canary.${namespace} sent to the mesh simulator`);
      // The token travelled in a header only: the controller never logs it.
      expect(controller.logs().some((line) => JSON.stringify(line).includes(token))).toBe(false);
      // The namespaced install's Role was enough for everything so far.
      expect(controller.logs().filter((line) => /forbidden/i.test(JSON.stringify(line)))).toEqual([]);
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'rolls a bad version back',
    async () => {
      const before = recorder.rows().length;
      const earlier = new Set(recorder.rows());
      await setImage(access, namespace, NAME, SEED_IMAGE_V3, { 'sim.linnet.dev/error-rate': '0.2' });
      await recorder
        .waitFor(
          'phase Failed (or Succeeded)',
          (row) => !earlier.has(row) && (row.status === 'Failed' || row.status === 'Succeeded'),
          {
            timeoutMs: RUN_TIMEOUT_MS,
          },
        )
        .catch(explain);
      const sequence = statusSequence(recorder.rows().slice(before));
      expect({ last: sequence.at(-1), why: why() }).toEqual({ last: 'Failed/0', why: why() });
      expect(
        (await getDeployment(access, namespace, `${NAME}-primary`))?.spec?.template.spec?.containers[0]?.image,
      ).toBe(SEED_IMAGE_V2);
      expect(await readVirtualServiceRoutes(access, namespace, NAME)).toEqual({
        primaryWeight: 100,
        canaryWeight: 0,
        mirrored: false,
      });
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'removes the test loader with the Canary on opt-out and gives the workload its traffic back',
    async () => {
      await access.mergePatch(
        e2eTypes.deployment,
        { namespace, name: NAME },
        { metadata: { annotations: { 'linnet.dev/canary': null } } },
      );
      await waitUntil(
        'the Canary, the test loader and the generated routing objects to be gone',
        async () => {
          const left: string[] = [];
          if (await access.get(e2eTypes.canary, { namespace, name: NAME })) left.push(`canary ${NAME}`);
          if (await access.get(deploymentType, { namespace, name: LOADER })) left.push(`deployment ${LOADER}`);
          if (await access.get(serviceType, { namespace, name: LOADER })) left.push(`service ${LOADER}`);
          if (await access.get(secretType, { namespace, name: TOKEN_SECRET })) left.push(`secret ${TOKEN_SECRET}`);
          if (await getDeployment(access, namespace, `${NAME}-primary`)) left.push(`deployment ${NAME}-primary`);
          const virtualServices = await access.list(e2eTypes.virtualService, { namespace });
          for (const virtualService of virtualServices.items) {
            if (JSON.stringify(virtualService.spec).includes(`${NAME}-primary`)) {
              left.push(`virtualservice ${virtualService.metadata?.name} → ${NAME}-primary`);
            }
          }
          return left.length === 0 ? { done: true, value: undefined } : { done: false, seen: left.join(', ') };
        },
        { timeoutMs: TIMEOUT_MS },
      ).catch(explain);
      // revertOnDeletion: the workload runs its own replicas (with the last promoted image) again.
      const target = await getDeployment(access, namespace, NAME);
      expect(target?.spec?.replicas).toBe(2);
    },
    TIMEOUT_MS + 20_000,
  );

  it(
    'creates no test loader when the annotations name their own load-tester-url',
    async () => {
      const other = 'frontend';
      const sharedLoader = `http://shared-loader.${namespace}:8080/`;
      await applyObjects(access, [
        annotatedDeployment(namespace, other, { 'linnet.dev/load-tester-url': sharedLoader }),
      ]);
      const otherRecorder = recordCanaryStatus(access, namespace, other);
      teardown.defer(() => otherRecorder.stop());
      // Initialised takes several reconciles after the one that generated the Canary (and would have made a loader).
      await otherRecorder
        .waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: TIMEOUT_MS })
        .catch(explain);
      const canary = await getCanary(access, namespace, other);
      expect(canary.spec.analysis?.webhooks?.map((webhook) => webhook.url)).toEqual([sharedLoader]);
      for (const [type, name] of [
        [deploymentType, `${other}-testloader`],
        [serviceType, `${other}-testloader`],
        [secretType, `${other}-testloader-token`],
      ] as const) {
        expect(await access.get(type, { namespace, name })).toBeUndefined();
      }
      expect(controller.logs().filter((line) => /forbidden/i.test(JSON.stringify(line)))).toEqual([]);
    },
    TIMEOUT_MS + 20_000,
  );
});
