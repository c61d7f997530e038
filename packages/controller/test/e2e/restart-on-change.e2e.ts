// Changes that start (or restart) a run, end to end: a new image during the analysis sends traffic back to the
// primary and analyses the newest revision from weight 0; a changed ConfigMap (mounted as a volume) and a changed
// Secret (read through env) each start a run, after which the primary uses `-primary` copies holding the new data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  applyObject,
  applyObjects,
  e2eTypes,
  explainWithControllerLog,
  getDeployment,
  loadTesterStandIn,
  primaryImage,
  readVirtualServiceRoutes,
  recordCanaryStatus,
  seedCanary,
  seedDeployment,
  seedGateway,
  setImage,
  startE2eSuite,
  startWebhookReceiver,
  statusSequence,
  SuiteTeardown,
  SEED_FULL_RUN,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  SEED_IMAGE_V3,
  type CanaryStatusRecorder,
  type ConfigObject,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import type { KubeAccess, KubeObject } from '../../src/kube/index.ts';

const RUN_TIMEOUT_MS = 150_000;

describe('changes that start or restart a run', () => {
  let access: KubeAccess;
  let namespace: string;
  let hooks: WebhookReceiver;
  let controller: ControllerProcess;
  const recorders: CanaryStatusRecorder[] = [];

  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
    teardown.defer(() => hooks.close());
    ({ access, namespace, controller } = await startE2eSuite(teardown, 'restart'));
    await applyObjects(access, seedGateway());
  });

  afterAll(async () => {
    for (const recorder of recorders) {
      console.log(`${recorder.latest()?.metadata?.name ?? '?'} in ${namespace}:\n${recorder.table()}`);
    }
    console.log(`controller log: ${controller?.logFile}`);
    await teardown.run();
  });

  /** Applies the Canary and waits until it is Initialized; returns its recorder. */
  async function initialize(name: string, objects: readonly KubeObject[]): Promise<CanaryStatusRecorder> {
    const recorder = recordCanaryStatus(access, namespace, name);
    recorders.push(recorder);
    teardown.defer(() => recorder.stop());
    await applyObjects(access, [...objects]);
    return recorder;
  }

  const why = (recorder: CanaryStatusRecorder): string => explainWithControllerLog(recorder, controller);

  async function waitForRunEnd(recorder: CanaryStatusRecorder, afterRow: number): Promise<void> {
    await recorder.waitFor(
      'phase Succeeded (or Failed)',
      (row) => recorder.rows().indexOf(row) >= afterRow && (row.status === 'Succeeded' || row.status === 'Failed'),
      { timeoutMs: RUN_TIMEOUT_MS },
    );
  }

  it(
    'restarts the analysis when the target changes mid-run, and promotes the newest revision',
    async () => {
      const name = 'restart';
      const recorder = await initialize(name, [
        seedDeployment({ namespace, name, image: SEED_IMAGE_V1 }),
        seedCanary({ namespace, name, rolloutWebhookUrl: hooks.url('/') }),
      ]);
      await recorder.waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });

      const before = recorder.rows().length;
      await setImage(access, namespace, name, SEED_IMAGE_V2);
      await recorder.waitFor('canary weight 20', (row) => row.status === 'Progressing' && row.weight >= 20, {
        timeoutMs: RUN_TIMEOUT_MS,
      });
      const restartAt = recorder.rows().length;
      await setImage(access, namespace, name, SEED_IMAGE_V3);
      await waitForRunEnd(recorder, restartAt);

      const sequence = statusSequence(recorder.rows().slice(before));
      // From the first row back at weight 0 after the second change (a weight step may land just before it).
      const afterChange = recorder.rows().slice(restartAt);
      const restart = statusSequence(afterChange.slice(afterChange.findIndex((row) => row.weight === 0)));
      expect({ sequence, why: why(recorder) }).toMatchObject({
        sequence: expect.arrayContaining(['Progressing/10', 'Progressing/20']),
      });
      // Back to weight 0 (all traffic on the primary), then a complete run of the newest revision.
      expect({ restart, why: why(recorder) }).toEqual({ restart: SEED_FULL_RUN, why: why(recorder) });
      expect(sequence.filter((entry) => entry.startsWith('Promoting'))).toEqual(['Promoting/50']);

      expect(await primaryImage(access, namespace, name)).toBe(SEED_IMAGE_V3);
      expect(await readVirtualServiceRoutes(access, namespace, name)).toMatchObject({ primaryWeight: 100 });
    },
    RUN_TIMEOUT_MS * 2,
  );

  it(
    'rolls out a ConfigMap change; the primary then mounts a -primary copy with the new data',
    async () => {
      const name = 'cfg';
      const configMap = (color: string): ConfigObject => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-config`, namespace },
        data: { 'color.txt': color },
      });
      const recorder = await initialize(name, [
        configMap('blue'),
        seedDeployment({
          namespace,
          name,
          volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
          volumeMounts: [{ name: 'config', mountPath: '/etc/config' }],
        }),
        seedCanary({ namespace, name, rolloutWebhookUrl: hooks.url('/') }),
      ]);
      await recorder.waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
      const volumeOf = async () =>
        (await getDeployment(access, namespace, `${name}-primary`))?.spec?.template.spec?.volumes?.[0]?.configMap?.name;
      expect(await volumeOf()).toBe(`${name}-config-primary`);
      expect((await readConfig(e2eTypes.configMap, `${name}-config-primary`))?.data).toEqual({ 'color.txt': 'blue' });

      const before = recorder.rows().length;
      await applyObject(access, configMap('green'));
      await recorder.waitFor('canary weight 10', (row) => row.status === 'Progressing' && row.weight === 10, {
        timeoutMs: RUN_TIMEOUT_MS,
      });
      // While the change is analysed the primary keeps the configuration it was promoted with.
      expect((await readConfig(e2eTypes.configMap, `${name}-config-primary`))?.data).toEqual({ 'color.txt': 'blue' });
      await waitForRunEnd(recorder, before);

      expect({ run: statusSequence(recorder.rows().slice(before)), why: why(recorder) }).toEqual({
        run: SEED_FULL_RUN,
        why: why(recorder),
      });
      expect(await volumeOf()).toBe(`${name}-config-primary`);
      const source = await readConfig(e2eTypes.configMap, `${name}-config`);
      const copy = await readConfig(e2eTypes.configMap, `${name}-config-primary`);
      expect(copy?.data).toEqual(source?.data);
      expect(copy?.data).toEqual({ 'color.txt': 'green' });
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  it(
    'rolls out a Secret change; the primary then reads a -primary copy with the new data',
    async () => {
      const name = 'sec';
      const secret = (token: string): ConfigObject => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${name}-secret`, namespace },
        type: 'Opaque',
        data: { token: Buffer.from(token).toString('base64') },
      });
      const recorder = await initialize(name, [
        secret('first-token'),
        seedDeployment({
          namespace,
          name,
          env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: `${name}-secret`, key: 'token' } } }],
        }),
        seedCanary({ namespace, name, rolloutWebhookUrl: hooks.url('/') }),
      ]);
      await recorder.waitFor('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
      const secretRefOf = async () =>
        (await getDeployment(access, namespace, `${name}-primary`))?.spec?.template.spec?.containers[0]?.env?.[0]
          ?.valueFrom?.secretKeyRef?.name;
      expect(await secretRefOf()).toBe(`${name}-secret-primary`);

      const before = recorder.rows().length;
      await applyObject(access, secret('second-token'));
      await waitForRunEnd(recorder, before);

      expect({ run: statusSequence(recorder.rows().slice(before)), why: why(recorder) }).toEqual({
        run: SEED_FULL_RUN,
        why: why(recorder),
      });
      expect(await secretRefOf()).toBe(`${name}-secret-primary`);
      const copy = await readConfig(e2eTypes.secret, `${name}-secret-primary`);
      expect(copy?.data).toEqual((await readConfig(e2eTypes.secret, `${name}-secret`))?.data);
      expect(Buffer.from(copy?.data?.token ?? '', 'base64').toString()).toBe('second-token');
    },
    RUN_TIMEOUT_MS + 60_000,
  );

  function readConfig(
    type: typeof e2eTypes.configMap | typeof e2eTypes.secret,
    name: string,
  ): Promise<ConfigObject | undefined> {
    return access.get(type, { namespace, name });
  }
});
