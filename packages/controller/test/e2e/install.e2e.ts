// The install manifests (deploy/, `kubectl apply --server-side -k deploy/`) give the controller enough permissions,
// and no more: the base is rendered (without kubectl) and applied, except the pods themselves (kwok would only fake
// them); the controller then runs as a process on the ServiceAccount's own token — not the admin's certificate —
// with leader election in linnet-system, and takes the seed Canary from Initialized through a rollout to Succeeded
// and through a deletion with revertOnDeletion. The namespaced install (deploy/namespaced/, a Role in the test
// namespace only) takes it through a rollout with Secrets, webhook URL credentials and a metrics bearer token in
// play, none of which may then appear in the controller log, the Events or the status. A missing rule shows as a
// Forbidden log line of the controller, which fails the suite at once with the denied request.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, KubeConfig, type V1ResourceAttributes } from '@kubernetes/client-node';
import { defineResourceType, resourceTypes, type KubeAccess, type KubeObject } from '../../src/kube/index.ts';
import {
  applyObjects,
  createTestNamespace,
  deleteTestNamespace,
  e2eTypes,
  getDeployment,
  listCanaryEvents,
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
  waitUntil,
  secretLeaks,
  secretLeaksInControllerLogs,
  SEED_IMAGE_V1,
  SEED_IMAGE_V2,
  TEST_SECRETS,
  type CanaryManifest,
  type CanaryStatusRecorder,
  type CanaryStatusRow,
  type ControllerLogLine,
  type ControllerProcess,
  type WebhookReceiver,
} from './support/index.ts';
import {
  DEPLOY_DIR,
  apiErrorCode,
  applyManifests,
  canI,
  waitForCrdsEstablished,
  findObject,
  renderKustomization,
  requestServiceAccountToken,
  setNamespace,
  wildcardGrants,
  writeTokenKubeconfig,
  type ManifestObject,
} from './support/install-manifests.ts';

const NAME = 'backend';
const INSTALL_NAMESPACE = 'linnet-system';
const SERVICE_ACCOUNT = 'linnet';
const LEASE = 'linnet-leader-election';
/** core/v1 Events (the controller writes events.k8s.io/v1; both views are checked for leaks). */
const coreEventType = defineResourceType<KubeObject>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
});
const leaseType = defineResourceType<KubeObject & { spec?: { holderIdentity?: string } }>(resourceTypes.lease);
/** Initialisation plus one run of 5 analysis steps at 5 s, with room for a busy machine. */
const RUN_TIMEOUT_MS = 150_000;

/** A controller log line that reports a request the API server refused for lack of permission. */
function isForbidden(line: ControllerLogLine): boolean {
  return line.reason === 'Forbidden' || /\bforbidden\b/i.test(typeof line.error === 'string' ? line.error : '');
}

/** The controller and status recorder of a suite, once started. */
interface ControllerRun {
  controller?: ControllerProcess | undefined;
  recorder?: CanaryStatusRecorder | undefined;
}

function describeRun(run: ControllerRun): string {
  return (
    `\nstatus rows:\n${run.recorder?.table() ?? '(none)'}\n` +
    `controller log (${run.controller?.logFile ?? '-'}):\n${run.controller?.tail(40) ?? '(not started)'}`
  );
}

/** Waits for a status row, failing at once (with the denied requests) if the controller is refused anything. */
async function waitForStatusOrForbidden(
  run: ControllerRun,
  what: string,
  predicate: (row: CanaryStatusRow) => boolean,
  options: { timeoutMs: number; sinceRow?: number },
): Promise<CanaryStatusRow> {
  const outcome = await waitUntil<{ row: CanaryStatusRow } | { forbidden: ControllerLogLine[] }>(
    what,
    () => {
      const forbidden = run.controller?.logs().filter(isForbidden) ?? [];
      if (forbidden.length > 0) return { done: true, value: { forbidden } };
      const row = run.recorder
        ?.rows()
        .slice(options.sinceRow ?? 0)
        .find(predicate);
      if (row) return { done: true, value: { row } };
      const last = run.recorder?.rows().at(-1);
      return { done: false, seen: last ? `${last.status}/${last.weight} ${last.decision}` : 'no status yet' };
    },
    { timeoutMs: options.timeoutMs, intervalMs: 200 },
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}${describeRun(run)}`);
  });
  if ('forbidden' in outcome) {
    throw new Error(
      `the controller was refused requests by the API server (RBAC in deploy/ is missing a rule):\n` +
        `${outcome.forbidden.map((line) => JSON.stringify(line)).join('\n')}${describeRun(run)}`,
    );
  }
  return outcome.row;
}

describe('install manifests (deploy/): the controller runs on its own ServiceAccount', () => {
  let admin: KubeConfig;
  let access: KubeAccess;
  let manifests: ManifestObject[];
  let namespace: string;
  let workDir: string;
  let controllerKubeconfig: string;
  let serviceAccount: KubeConfig;
  let hooks: WebhookReceiver | undefined;
  let controller: ControllerProcess | undefined;
  let recorder: CanaryStatusRecorder | undefined;

  beforeAll(async () => {
    const env = testClusterEnv();
    admin = new KubeConfig();
    admin.loadFromFile(env.kubeconfig);
    access = testKubeAccess();
    // The shared test loader's kustomization (name prefix, labels) is beyond the test renderer, and its pods could
    // not run here anyway; it needs no RBAC.
    manifests = renderKustomization(DEPLOY_DIR, { skip: ['testloader/shared'] });
    // Everything but the pods' owners: the controller runs below as a local process instead.
    await applyManifests(
      admin,
      manifests.filter((object) => object.kind !== 'Deployment'),
    );
    await waitForCrdsEstablished(admin, manifests);
    namespace = await createTestNamespace(access, 'install');
    workDir = mkdtempSync(join(tmpdir(), 'linnet-install-'));
    controllerKubeconfig = join(workDir, 'kubeconfig');
    const token = await requestServiceAccountToken(admin, INSTALL_NAMESPACE, SERVICE_ACCOUNT);
    serviceAccount = writeTokenKubeconfig(env.kubeconfig, token, controllerKubeconfig);
  });

  afterAll(async () => {
    if (recorder) console.log(`install suite, namespace ${namespace}:\n${recorder.table()}`);
    if (controller) console.log(`controller log: ${controller.logFile}`);
    await recorder?.stop();
    await controller?.stop();
    await hooks?.close();
    if (namespace) await deleteTestNamespace(access, namespace);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    // The installed objects stay, as after `kubectl apply -k deploy/`: the next run applies over them (an upgrade).
  });

  const why = (): string => describeRun({ controller, recorder });
  const waitForStatus = (
    what: string,
    predicate: (row: CanaryStatusRow) => boolean,
    options: { timeoutMs: number; sinceRow?: number },
  ): Promise<CanaryStatusRow> => waitForStatusOrForbidden({ controller, recorder }, what, predicate, options);

  it('grants no wildcard: every Role and ClusterRole names its groups, resources and verbs', () => {
    expect(wildcardGrants(manifests)).toEqual([]);
    const clusterRole = findObject(manifests, 'ClusterRole', 'linnet');
    expect(clusterRole.rules).toEqual(expect.arrayContaining([expect.objectContaining({ verbs: expect.any(Array) })]));
  });

  it('lets the ServiceAccount do what the controller does, and refuses it the rest', async () => {
    const allowed: V1ResourceAttributes[] = [
      { group: 'flagger.app', resource: 'canaries', verb: 'watch', namespace },
      { group: 'flagger.app', resource: 'canaries', verb: 'delete', namespace },
      { group: 'flagger.app', resource: 'canaries', subresource: 'status', verb: 'update', namespace },
      { group: 'flagger.app', resource: 'metrictemplates', verb: 'list', namespace },
      { group: 'flagger.app', resource: 'alertproviders', verb: 'list', namespace },
      { group: 'apps', resource: 'deployments', verb: 'patch', namespace },
      { group: 'apps', resource: 'daemonsets', verb: 'create', namespace },
      { group: '', resource: 'secrets', verb: 'list', namespace },
      { group: 'autoscaling', resource: 'horizontalpodautoscalers', verb: 'patch', namespace },
      { group: 'networking.istio.io', resource: 'virtualservices', verb: 'create', namespace },
      { group: 'events.k8s.io', resource: 'events', verb: 'create', namespace },
      { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: INSTALL_NAMESPACE },
      { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: INSTALL_NAMESPACE, name: LEASE },
    ];
    const refused: V1ResourceAttributes[] = [
      { group: '', resource: 'namespaces', verb: 'delete', name: namespace },
      { group: '', resource: 'pods', verb: 'create', namespace },
      { group: '', resource: 'pods', verb: 'list', namespace },
      { group: '', resource: 'nodes', verb: 'list' },
      { group: '', resource: 'secrets', verb: 'delete', namespace },
      { group: '', resource: 'events', verb: 'create', namespace },
      { group: 'apps', resource: 'deployments', verb: 'update', namespace },
      { group: 'apps', resource: 'deployments', verb: 'delete', namespace },
      { group: 'apps', resource: 'deployments', subresource: 'scale', verb: 'patch', namespace },
      { group: 'flagger.app', resource: 'canaries', verb: 'update', namespace },
      { group: 'networking.istio.io', resource: 'gateways', verb: 'list', namespace },
      { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'create' },
      { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate' },
      { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'create' },
      // The Lease rights hold in linnet-system, for the election's Lease only.
      { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace },
      { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: INSTALL_NAMESPACE, name: 'other' },
      { group: 'coordination.k8s.io', resource: 'leases', verb: 'delete', namespace: INSTALL_NAMESPACE, name: LEASE },
    ];
    const label = (attributes: V1ResourceAttributes): string =>
      `${attributes.verb} ${attributes.resource}${attributes.subresource ? `/${attributes.subresource}` : ''}` +
      `${attributes.group ? `.${attributes.group}` : ''}${attributes.name ? ` ${attributes.name}` : ''}` +
      `${attributes.namespace ? ` in ${attributes.namespace === namespace ? 'the test namespace' : attributes.namespace}` : ''}`;
    const verdicts = async (list: V1ResourceAttributes[]): Promise<string[]> =>
      Promise.all(
        list.map(async (attributes) => `${label(attributes)}: ${(await canI(serviceAccount, attributes)).allowed}`),
      );
    expect(await verdicts(allowed)).toEqual(allowed.map((attributes) => `${label(attributes)}: true`));
    expect(await verdicts(refused)).toEqual(refused.map((attributes) => `${label(attributes)}: false`));

    // A real request, not only the review: deleting a namespace is refused with 403 before the API server even
    // looks the namespace up (this one does not exist, so an allowed request would answer 404 and harm nothing).
    const core = serviceAccount.makeApiClient(CoreV1Api);
    const status = await core.deleteNamespace({ name: `${namespace}-absent` }).then(
      () => 200,
      (error: unknown) => apiErrorCode(error),
    );
    expect(status).toBe(403);
  });

  it(
    'initializes the seed Canary with only the ServiceAccount permissions',
    async () => {
      hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
      controller = await startController({
        namespace,
        label: 'install',
        // Later flags win: the ServiceAccount's kubeconfig replaces the admin's that the harness passes.
        extraFlags: [
          `-kubeconfig=${controllerKubeconfig}`,
          '-enable-leader-election',
          `-leader-election-namespace=${INSTALL_NAMESPACE}`,
        ],
      });
      await controller.waitForLog('leadership (workers started)', (line) => line.message === 'workers started', {
        timeoutMs: 60_000,
      });
      recorder = recordCanaryStatus(access, namespace, NAME);
      const seed = seedCanary({ namespace, rolloutWebhookUrl: hooks.url('/') });
      // revertOnDeletion: the controller also sets and removes its finalizer and restores routing on deletion.
      const canary: CanaryManifest = { ...seed, spec: { ...seed.spec, revertOnDeletion: true } };
      await applyObjects(access, [...seedGateway(), seedDeployment({ namespace, image: SEED_IMAGE_V1 }), canary]);
      await waitForStatus('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });

      expect(
        (await getDeployment(access, namespace, `${NAME}-primary`))?.spec?.template.spec?.containers[0]?.image,
      ).toBe(SEED_IMAGE_V1);
      expect((await getDeployment(access, namespace, NAME))?.spec?.replicas).toBe(0);
      expect(recorder.latest()?.metadata?.finalizers).toContain('finalizer.flagger.app');
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'takes a new image through the analysis to Succeeded',
    async () => {
      if (!recorder || !controller) throw new Error('the previous step did not start the controller');
      const before = recorder.rows().length;
      await setImage(access, namespace, NAME, SEED_IMAGE_V2);
      const end = await waitForStatus(
        'phase Succeeded (or Failed)',
        (row) => row.status === 'Succeeded' || row.status === 'Failed',
        { timeoutMs: RUN_TIMEOUT_MS, sinceRow: before },
      );
      if (end.status !== 'Succeeded') throw new Error(`the rollout ended ${end.status}${why()}`);
      expect(statusSequence(recorder.rows().slice(before))).toEqual(
        expect.arrayContaining(['Progressing/10', 'Progressing/50', 'Promoting/50', 'Succeeded/0']),
      );
      const primary = await getDeployment(access, namespace, `${NAME}-primary`);
      expect(primary?.spec?.template.spec?.containers[0]?.image).toBe(SEED_IMAGE_V2);
      // Events are written with events.k8s.io/v1 (create, then patch for repeats).
      await controller?.eventsWritten();
      const events = await listCanaryEvents(access, namespace, NAME);
      expect(events.map((event) => event.message)).toEqual(
        expect.arrayContaining([`Promotion completed! Scaling down ${NAME}.${namespace}`]),
      );
      const lease = await access.get(leaseType, { namespace: INSTALL_NAMESPACE, name: LEASE });
      expect(lease?.spec).toMatchObject({ holderIdentity: expect.stringMatching(/\S/) });
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'reverts the target and removes its finalizer when the Canary is deleted',
    async () => {
      if (!controller) throw new Error('the previous steps did not start the controller');
      await access.delete(e2eTypes.canary, { namespace, name: NAME });
      const forbidden = await waitUntil<ControllerLogLine[]>(
        'the Canary to be gone (the controller removes its finalizer)',
        async () => {
          const refused = controller?.logs().filter(isForbidden) ?? [];
          if (refused.length > 0) return { done: true, value: refused };
          const canary = await access.get(e2eTypes.canary, { namespace, name: NAME });
          return canary
            ? { done: false, seen: `finalizers ${JSON.stringify(canary.metadata?.finalizers ?? [])}` }
            : { done: true, value: [] };
        },
        { timeoutMs: 60_000 },
      ).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${why()}`);
      });
      expect(forbidden).toEqual([]);
      // revertOnDeletion scales the target back up before letting the Canary go.
      expect((await getDeployment(access, namespace, NAME))?.spec?.replicas).toBeGreaterThan(0);
      expect(controller.logs().filter(isForbidden)).toEqual([]);
      const restarts = (await controller.metrics())
        .split('\n')
        .filter((line) => line.startsWith('linnet_informer_restarts_total') && line.includes('Forbidden'));
      expect(restarts).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );
});

describe('namespaced install (deploy/namespaced/): a Role in one namespace is enough, and no secret leaks', () => {
  let admin: KubeConfig;
  let access: KubeAccess;
  let namespace: string;
  let workDir: string;
  let controllerKubeconfig: string;
  let serviceAccount: KubeConfig;
  let hooks: WebhookReceiver | undefined;
  let controller: ControllerProcess | undefined;
  let recorder: CanaryStatusRecorder | undefined;
  const waitForStatus = (
    what: string,
    predicate: (row: CanaryStatusRow) => boolean,
    options: { timeoutMs: number; sinceRow?: number },
  ): Promise<CanaryStatusRow> => waitForStatusOrForbidden({ controller, recorder }, what, predicate, options);

  beforeAll(async () => {
    const env = testClusterEnv();
    admin = new KubeConfig();
    admin.loadFromFile(env.kubeconfig);
    access = testKubeAccess();
    namespace = await createTestNamespace(access, 'install-ns');
    // As an overlay with `namespace: <test namespace>` over deploy/namespaced would install it.
    const manifests = setNamespace(renderKustomization(join(DEPLOY_DIR, 'namespaced')), namespace);
    expect(manifests.filter((object) => object.kind?.startsWith('Cluster'))).toEqual([]);
    await applyManifests(
      admin,
      manifests.filter((object) => object.kind !== 'Deployment'),
    );
    workDir = mkdtempSync(join(tmpdir(), 'linnet-install-ns-'));
    controllerKubeconfig = join(workDir, 'kubeconfig');
    const token = await requestServiceAccountToken(admin, namespace, SERVICE_ACCOUNT);
    serviceAccount = writeTokenKubeconfig(env.kubeconfig, token, controllerKubeconfig);
  });

  afterAll(async () => {
    if (recorder) console.log(`namespaced install suite, namespace ${namespace}:\n${recorder.table()}`);
    if (controller) console.log(`controller log: ${controller.logFile}`);
    await recorder?.stop();
    await controller?.stop();
    await hooks?.close();
    if (namespace) await deleteTestNamespace(access, namespace);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('lets the ServiceAccount act in its own namespace only, Secrets included', async () => {
    const verdict = async (attributes: V1ResourceAttributes): Promise<boolean> =>
      (await canI(serviceAccount, attributes)).allowed;
    expect(await verdict({ group: '', resource: 'secrets', verb: 'patch', namespace })).toBe(true);
    expect(await verdict({ group: 'flagger.app', resource: 'canaries', verb: 'watch', namespace })).toBe(true);
    expect(await verdict({ group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace })).toBe(true);
    const refused: V1ResourceAttributes[] = [
      { group: '', resource: 'secrets', verb: 'list', namespace: INSTALL_NAMESPACE },
      { group: '', resource: 'secrets', verb: 'get', namespace: 'default' },
      { group: '', resource: 'secrets', verb: 'create', namespace: 'kube-system' },
      { group: '', resource: 'secrets', verb: 'list' },
      { group: 'flagger.app', resource: 'canaries', verb: 'list' },
      { group: 'apps', resource: 'deployments', verb: 'patch', namespace: 'default' },
      { group: '', resource: 'secrets', verb: 'delete', namespace },
      { group: '', resource: 'pods', verb: 'create', namespace },
    ];
    const allowedAnyway = [];
    for (const attributes of refused) if (await verdict(attributes)) allowedAnyway.push(attributes);
    expect(allowedAnyway).toEqual([]);
  });

  it(
    'takes the seed Canary through a rollout with only the Role, Secrets and credentials in play',
    async () => {
      const env = testClusterEnv();
      hooks = await startWebhookReceiver({ onCall: loadTesterStandIn() });
      controller = await startController({
        namespace,
        label: 'install-namespaced',
        extraFlags: [
          `-kubeconfig=${controllerKubeconfig}`,
          '-enable-leader-election',
          `-leader-election-namespace=${namespace}`,
        ],
      });
      await controller.waitForLog('leadership (workers started)', (line) => line.message === 'workers started', {
        timeoutMs: 60_000,
      });
      recorder = recordCanaryStatus(access, namespace, NAME);
      const hookUrl = new URL(hooks.url('/'));
      hookUrl.username = 'linnet';
      hookUrl.password = TEST_SECRETS.webhookPassword;
      hookUrl.searchParams.set('token', TEST_SECRETS.webhookQueryToken);
      const seed = seedCanary({ namespace, rolloutWebhookUrl: hookUrl.toString() });
      const unreachableHookUrl = new URL(hookUrl);
      unreachableHookUrl.port = '9';
      const canary: CanaryManifest = {
        ...seed,
        spec: {
          ...seed.spec,
          analysis: {
            ...seed.spec.analysis,
            metrics: [
              ...(seed.spec.analysis?.metrics ?? []),
              { name: 'always-zero', templateRef: { name: 'always-zero' }, thresholdRange: { max: 1 } },
            ],
            // Unreachable (port 9, discard): its failures are reported, and must be reported without the secrets.
            webhooks: [
              ...(seed.spec.analysis?.webhooks ?? []),
              { name: 'events-unreachable', type: 'event', url: unreachableHookUrl.toString() },
            ],
          },
        },
      } as CanaryManifest;
      const secret = (name: string, data: Record<string, string>): KubeObject =>
        ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace },
          data: Object.fromEntries(
            Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
          ),
        }) as KubeObject;
      await access.apply(
        resourceTypes.metricTemplate,
        {
          apiVersion: 'flagger.app/v1beta1',
          kind: 'MetricTemplate',
          metadata: { name: 'always-zero', namespace },
          spec: {
            provider: { type: 'prometheus', address: env.prometheusUrl, secretRef: { name: 'prometheus-auth' } },
            query: 'vector(0)',
          },
        } as KubeObject,
        { force: true },
      );
      await applyObjects(access, [
        ...seedGateway(),
        secret(`${NAME}-credentials`, { password: TEST_SECRETS.secretData }),
        secret('prometheus-auth', { token: TEST_SECRETS.metricsBearerToken }),
        seedDeployment({
          namespace,
          image: SEED_IMAGE_V1,
          env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: `${NAME}-credentials`, key: 'password' } } }],
        }),
        canary,
      ]);
      await waitForStatus('phase Initialized', (row) => row.status === 'Initialized', { timeoutMs: 60_000 });
      const before = recorder.rows().length;
      await setImage(access, namespace, NAME, SEED_IMAGE_V2);
      const end = await waitForStatus(
        'phase Succeeded (or Failed)',
        (row) => row.status === 'Succeeded' || row.status === 'Failed',
        { timeoutMs: RUN_TIMEOUT_MS, sinceRow: before },
      );
      if (end.status !== 'Succeeded')
        throw new Error(`the rollout ended ${end.status}${describeRun({ controller, recorder })}`);
      // The secrets were used: the copy exists, and the webhook saw its query token.
      expect((await access.get(e2eTypes.secret, { namespace, name: `${NAME}-credentials-primary` }))?.data).toEqual({
        password: Buffer.from(TEST_SECRETS.secretData).toString('base64'),
      });
      expect(hooks.calls().length).toBeGreaterThan(0);
    },
    RUN_TIMEOUT_MS + 90_000,
  );

  it('never writes a secret value to the controller log, the Events or the Canary status', async () => {
    if (!controller) throw new Error('the previous step did not start the controller');
    // The check itself finds a value, plain or encoded.
    expect(secretLeaks(`x ${Buffer.from(TEST_SECRETS.secretData).toString('base64')} y`)).toEqual([
      'secretData (encoded)',
    ]);
    const log = readFileSync(controller.logFile, 'utf8');
    expect(log).toContain('events-unreachable'); // the failing webhook was reported
    expect(secretLeaks(log)).toEqual([]);
    const coreEvents = await access.list(coreEventType, { namespace });
    const events = await access.list(e2eTypes.event, { namespace });
    expect(secretLeaks(JSON.stringify([coreEvents.items, events.items]))).toEqual([]);
    const canary = await access.get(e2eTypes.canary, { namespace, name: NAME });
    expect(canary?.status).toBeDefined();
    expect(secretLeaks(JSON.stringify(canary?.status))).toEqual([]);
    // Every controller log this e2e run wrote so far, not only this suite's.
    expect(secretLeaksInControllerLogs()).toEqual([]);
  });
});
