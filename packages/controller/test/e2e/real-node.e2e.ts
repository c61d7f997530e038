// Linnet as a user runs it: the images `npm run image` built, loaded into a real node (kubelet + containerd + runc,
// `up --real-node`), the kustomize base deploy/ applied with kubectl unchanged, and the seed walkthrough
// (examples/rollout-real-node) taken to Succeeded by the controller running as a pod. kwok's fake node keeps the
// podinfo pods (their image cannot be pulled here); the mesh simulator stands in for their traffic.
//
// The rollout webhook goes to a stand-in on the host that starts mesh simulator load, as in the other e2e suites: the
// seed's in-cluster test loader runs on the node too, but its load could not reach kwok's pods (docs/testenv.md).
//
// It starts a cluster of its own (`<e2e cluster>-node`, about 10 s) and needs root. Where this machine refuses a
// step (no network namespaces, no cgroups, no runc), the suite prints which step and ends there: the
// runc-container form of the same walkthrough is controller-image.e2e.ts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CanaryPhase } from '@linnet/api';
import {
  binaryPaths,
  builtImageArchives,
  exposeToRealNode,
  loadRealNodeImages,
  realNodeName,
  startCluster,
  stopCluster,
  type RunningCluster,
} from '@linnet/testenv';
import {
  getDeployment,
  loadTesterStandIn,
  recordCanaryStatus,
  setImage,
  startWebhookReceiver,
  statusSequence,
  testKubeAccess,
  type CanaryStatusRecorder,
  type WebhookReceiver,
} from './support/index.ts';

const execFileAsync = promisify(execFile);
const REPO = new URL('../../../../', import.meta.url).pathname;
const NAMESPACE = 'webapp';
const NAME = 'backend';
/** Initialisation, or a rollout of 5 steps at the controller's default 10 s floor plus promotion. */
const RUN_TIMEOUT_MS = 240_000;

const clusterName = `${process.env.LINNET_TESTENV_CLUSTER ?? 'current'}-node`;

describe('Linnet installed from deploy/ on a real node', () => {
  let cluster: RunningCluster | undefined;
  let refused: string | undefined;
  let hooks: WebhookReceiver | undefined;
  let recorder: CanaryStatusRecorder | undefined;
  const savedEnv = { ...process.env };

  const kubectl = async (...args: string[]): Promise<string> => {
    if (!cluster) throw new Error('no cluster');
    const { stdout } = await execFileAsync(binaryPaths().kubectl, args, {
      cwd: REPO,
      env: { ...process.env, KUBECONFIG: cluster.env.KUBECONFIG },
      timeout: 120_000,
    });
    return stdout;
  };

  beforeAll(async () => {
    const archives = builtImageArchives(); // fails with "build them with npm run image"
    try {
      cluster = await startCluster({ name: clusterName, realNode: true, smokeTest: false, reuse: false });
    } catch (error) {
      refused = error instanceof Error ? error.message : String(error);
      console.warn(
        `this machine refused the real node: ${refused}\n` +
          'the controller image runs as a runc container instead in controller-image.e2e.ts',
      );
      return;
    }
    // The support helpers (status recorder, stand-in load) read the cluster from the environment.
    process.env.KUBECONFIG = cluster.env.KUBECONFIG;
    process.env.PROMETHEUS_URL = cluster.env.PROMETHEUS_URL;
    process.env.MESH_SIMULATOR_URL = cluster.env.MESH_SIMULATOR_URL;
    await loadRealNodeImages(cluster.state, archives);
  }, 180_000);

  afterAll(async () => {
    if (recorder) console.log(`real-node suite:\n${recorder.table()}`);
    await recorder?.stop();
    await hooks?.close();
    if (cluster) await stopCluster(clusterName);
    process.env = savedEnv;
  }, 60_000);

  it('runs the controller and the test loaders from the unchanged base as pods on the real node', async () => {
    if (refused !== undefined) return;
    await kubectl('apply', '--server-side', '-k', 'deploy/');
    await kubectl('rollout', 'status', '-n', 'linnet-system', 'deployment/linnet', '--timeout=120s');
    await kubectl('apply', '-k', 'examples/rollout-real-node');
    await kubectl('rollout', 'status', '-n', NAMESPACE, 'deployment/backend-testloader', '--timeout=120s');
    const placement = await kubectl(
      'get',
      'pods',
      '-A',
      '-o',
      'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.nodeName}{"\\n"}{end}',
    );
    const nodeOf = (prefix: string): string[] =>
      placement
        .trim()
        .split('\n')
        .filter((line) => new RegExp(`^${prefix}-[a-z0-9]+-[a-z0-9]+ `).test(line))
        .map((line) => line.split(' ')[1] ?? '');
    expect({
      controller: nodeOf('linnet-system/linnet'),
      sharedTestLoader: nodeOf('linnet-system/linnet-testloader'),
      perWorkloadTestLoader: nodeOf('webapp/backend-testloader'),
    }).toEqual({
      controller: [realNodeName],
      sharedTestLoader: [realNodeName],
      perWorkloadTestLoader: [realNodeName],
    });
    // podinfo's pods (backend, backend-primary) stay on kwok's fake node: their image was not loaded.
    const podinfo = placement.split('\n').filter((line) => /^webapp\/backend-(?!testloader)/.test(line));
    expect(podinfo.length).toBeGreaterThan(0);
    expect(podinfo.filter((line) => !line.endsWith(' kwok-node-0'))).toEqual([]);
    const image = await kubectl(
      'get',
      'deployment',
      '-n',
      'linnet-system',
      'linnet',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    );
    expect(image).toMatch(/^ghcr\.io\/linnet\/controller:/);
  }, 300_000);

  it(
    'takes the seed Canary through initialisation and a rollout to Succeeded, with the controller in a pod',
    async () => {
      if (refused !== undefined || !cluster) return;
      const access = testKubeAccess();
      hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
      const hookPort = Number(new URL(hooks.url('/')).port);
      await exposeToRealNode(cluster.state, {
        namespace: NAMESPACE,
        name: 'e2e-testloader',
        port: 8080,
        hostPort: hookPort,
      });
      await kubectl(
        'patch',
        'canary',
        '-n',
        NAMESPACE,
        NAME,
        '--type=json',
        '-p',
        JSON.stringify([
          { op: 'replace', path: '/spec/analysis/webhooks/0/url', value: `http://e2e-testloader.${NAMESPACE}:8080/` },
        ]),
      );
      const recording = recordCanaryStatus(access, NAMESPACE, NAME);
      recorder = recording;
      const why = async (): Promise<string> =>
        `\nstatus rows:\n${recorder?.table() ?? '(none)'}\ncontroller log:\n${await kubectl('logs', '-n', 'linnet-system', 'deployment/linnet', '--tail=40').catch((e: unknown) => String(e))}`;
      const waitFor = (phases: CanaryPhase[], sinceRow: number) =>
        recording
          .waitForPhase(phases, sinceRow, { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 250 })
          .catch(async (error: unknown) => {
            throw new Error(`${error instanceof Error ? error.message : String(error)}${await why()}`);
          });
      await waitFor(['Initialized'], 0);
      const before = recorder.rows().length;
      await setImage(access, NAMESPACE, NAME, 'ghcr.io/stefanprodan/podinfo:6.0.1');
      const end = await waitFor(['Succeeded', 'Failed'], before);
      if (end.status !== 'Succeeded') throw new Error(`the rollout ended ${end.status}${await why()}`);
      expect(statusSequence(recorder.rows().slice(before))).toEqual(
        expect.arrayContaining(['Progressing/10', 'Progressing/50', 'Promoting/50', 'Succeeded/0']),
      );
      const primary = await getDeployment(access, NAMESPACE, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
      expect(hooks.calls().length).toBeGreaterThan(0);
      const logs = await kubectl('logs', '-n', 'linnet-system', 'deployment/linnet');
      expect(logs.split('\n').filter((line) => /forbidden/i.test(line))).toEqual([]);
    },
    RUN_TIMEOUT_MS * 2 + 30_000,
  );
});
