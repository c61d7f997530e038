// The controller image as it ships (`npm run image`), run as a locked-down runc container — UID 65532, read-only root
// filesystem, no capabilities, no new privileges — on the install manifests' ServiceAccount (deploy/ RBAC, a minted
// token), takes the seed Canary through initialisation and a rollout to Succeeded. This machine has no kubelet
// that could run it as a pod (docs/testenv.md says what runs where); the container is what a kubelet would start
// from the Deployment's securityContext. Needs the image archive and runc, umoci and skopeo: the suite fails with
// what is missing rather than skipping.
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CanaryPhase } from '@linnet/api';
import { KubeConfig } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { stringify } from 'yaml';
import {
  applyObjects,
  createTestNamespace,
  deleteTestNamespace,
  getDeployment,
  loadTesterStandIn,
  recordCanaryStatus,
  seedCanary,
  seedDeployment,
  seedGateway,
  setImage,
  startController,
  startWebhookReceiver,
  statusSequence,
  testClusterEnv,
  testKubeAccess,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  type CanaryStatusRecorder,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import {
  controllerImageArchive,
  missingContainerTools,
  prepareControllerContainer,
  type ControllerContainer,
} from '@linnet/testenv';
import {
  DEPLOY_DIR,
  applyManifests,
  renderKustomization,
  requestServiceAccountToken,
  waitForCrdsEstablished,
} from './support/install-manifests.ts';

const NAME = 'backend';
const NONROOT = 65532;
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
/** Initialisation or one run of 5 steps at 5 s; pods become ready slowly when the shared cluster is busy. */
const RUN_TIMEOUT_MS = 240_000;

/** A kubeconfig for the ServiceAccount token with the CA inlined, readable by the container's user only. */
function writeContainerKubeconfig(adminKubeconfig: string, token: string, file: string): void {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${adminKubeconfig} has no current cluster`);
  const ca = cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : undefined);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: cluster.server, 'certificate-authority-data': ca } }],
    users: [{ name: 'linnet', user: { token } }],
    contexts: [{ name: 'linnet', context: { cluster: 'local', user: 'linnet' } }],
    'current-context': 'linnet',
  };
  writeFileSync(file, stringify(config), { mode: 0o400 });
  chownSync(file, NONROOT, NONROOT);
}

/** `Uid:` and `CapEff:` of the container's process, read from /proc on the host. */
function processCredentials(pid: number): { uid: string; capEff: string; noNewPrivs: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim() ?? '';
  return { uid: field('Uid'), capEff: field('CapEff'), noNewPrivs: field('NoNewPrivs') };
}

describe('the controller image, as a locked-down container', () => {
  let namespace: string;
  let keyDir: string;
  let container: ControllerContainer | undefined;
  let hooks: WebhookReceiver | undefined;
  let controller: ControllerProcess | undefined;
  let recorder: CanaryStatusRecorder | undefined;
  const access = testKubeAccess();

  beforeAll(async () => {
    const missing = missingContainerTools();
    if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`);
    const archive = controllerImageArchive(VERSION);
    if (!archive) throw new Error(`no controller-${VERSION}.oci.tar in ~/.cache/linnet/images: run npm run image`);
    const env = testClusterEnv();
    const admin = new KubeConfig();
    admin.loadFromFile(env.kubeconfig);
    const manifests = renderKustomization(DEPLOY_DIR, { skip: ['testloader/shared'] });
    await applyManifests(
      admin,
      manifests.filter((object) => object.kind !== 'Deployment'),
    );
    await waitForCrdsEstablished(admin, manifests);
    namespace = await createTestNamespace(access, 'image');
    keyDir = mkdtempSync(join(tmpdir(), 'linnet-image-'));
    chownSync(keyDir, NONROOT, NONROOT);
    const token = await requestServiceAccountToken(admin, 'linnet-system', 'linnet');
    writeContainerKubeconfig(env.kubeconfig, token, join(keyDir, 'kubeconfig'));
    container = prepareControllerContainer(archive, keyDir);
  }, 180_000);

  afterAll(async () => {
    if (recorder) console.log(`image suite, namespace ${namespace}:\n${recorder.table()}`);
    if (controller) console.log(`controller (container) log: ${controller.logFile}`);
    await recorder?.stop();
    await controller?.stop();
    container?.remove();
    await hooks?.close();
    if (namespace) await deleteTestNamespace(access, namespace);
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  const why = (): string =>
    `\nstatus rows:\n${recorder?.table() ?? '(none)'}\ncontroller log:\n${controller?.tail(40) ?? '(not started)'}`;

  it('starts from the image as UID 65532 with no capabilities on a read-only root filesystem', async () => {
    if (!container) throw new Error('the container was not prepared');
    expect(container.image).toBe(`ghcr.io/linnet/controller:${VERSION}`);
    const spec = container.spec();
    expect(spec.process.user).toEqual({ uid: NONROOT, gid: NONROOT });
    expect(spec.root.readonly).toBe(true);
    expect(Object.values(spec.process.capabilities ?? {}).flat()).toEqual([]);
    controller = await startController({
      namespace,
      label: 'image',
      launch: (flags) => container!.launch(flags),
      extraFlags: [`-kubeconfig=${join(keyDir, 'kubeconfig')}`],
    });
    // The node process inside the container: runc's child of the `runc run` we started.
    const pid = Number(
      spawnSync('pgrep', ['-P', String(controller.pid), '-n'])
        .stdout.toString()
        .trim() || NaN,
    );
    const inside = Number.isNaN(pid) ? undefined : processCredentials(pid);
    expect(inside).toMatchObject({ capEff: '0000000000000000', noNewPrivs: '1' });
    expect(inside?.uid.split(/\s+/)).toEqual([String(NONROOT), String(NONROOT), String(NONROOT), String(NONROOT)]);
  });

  it(
    'takes the seed Canary through initialisation and a rollout to Succeeded',
    async () => {
      if (!controller) throw new Error('the previous step did not start the controller');
      hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
      const recording = recordCanaryStatus(access, namespace, NAME);
      recorder = recording;
      await applyObjects(access, [
        ...seedGateway(),
        seedDeployment({ namespace, image: SEED_IMAGE_V1 }),
        seedCanary({ namespace, rolloutWebhookUrl: hooks.url('/') }),
      ]);
      const waitFor = (phases: CanaryPhase[], sinceRow: number) =>
        recording
          .waitForPhase(phases, sinceRow, { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 200 })
          .catch((error: unknown) => {
            throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
          });
      await waitFor(['Initialized'], 0);
      const before = recorder.rows().length;
      await setImage(access, namespace, NAME, SEED_IMAGE_V2);
      const end = await waitFor(['Succeeded', 'Failed'], before);
      if (end.status !== 'Succeeded') throw new Error(`the rollout ended ${end.status}${why()}`);
      expect(statusSequence(recorder.rows().slice(before))).toEqual(
        expect.arrayContaining(['Progressing/10', 'Progressing/50', 'Promoting/50', 'Succeeded/0']),
      );
      const primary = await getDeployment(access, namespace, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V2);
      expect(controller.logs().filter((line) => /forbidden/i.test(JSON.stringify(line)))).toEqual([]);
    },
    RUN_TIMEOUT_MS * 2 + 30_000,
  );
});
