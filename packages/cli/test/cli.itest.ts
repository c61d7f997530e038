// Every `linnet` command against the real local API server (started or reused by the testenv global setup), run
// as a child process. Canaries get hand-written status through the status subresource; no controller runs in
// these namespaces.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Canary, CanarySpec, CanaryStatus } from '@linnet/api';
// The Canary the conversion must print, shared with the API's own conversion tests (a test-only export).
import { SEED_KURATOR_CANARY } from '@linnet/api/test-fixtures/seed-canary';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { ClusterClient } from '../src/cluster/cluster-client.ts';
import { canaryPath } from '../src/cluster/canary-resources.ts';
import { runLinnet, startLinnet } from './linnet-process.ts';

const namespace = `itest-cli-${process.pid}-${Date.now().toString(36)}`;
let client: ClusterClient;

const spec = (overrides: Partial<CanarySpec['analysis']> = {}): CanarySpec => ({
  targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
  service: { port: 9898, gateways: ['istio-system/public-gateway'], hosts: ['backend.webapp'] },
  analysis: {
    interval: '90s',
    threshold: 2,
    maxWeight: 50,
    stepWeight: 10,
    metrics: [
      { name: 'request-success-rate', interval: '90s', thresholdRange: { min: 99 } },
      { name: 'request-duration', interval: '90s', thresholdRange: { max: 500 } },
    ],
    ...overrides,
  },
});

const progressing = (weight: number, message: string): CanaryStatus => ({
  phase: 'Progressing',
  canaryWeight: weight,
  failedChecks: 1,
  iterations: 0,
  lastTransitionTime: '2026-01-11T09:06:10Z',
  conditions: [
    {
      type: 'Promoted',
      status: 'Unknown',
      reason: 'Progressing',
      message: 'New revision detected, progressing canary analysis.',
    },
  ],
  lastDecision: { reason: 'AdvanceWeight', message, time: '2026-01-11T09:06:10Z' },
  lastChecks: [
    {
      name: 'request-success-rate',
      interval: '90s',
      value: 99.7,
      min: 99,
      passed: true,
      message: 'request-success-rate 99.70%',
      time: '2026-01-11T09:06:10Z',
    },
    {
      name: 'request-duration',
      interval: '90s',
      value: 612,
      max: 500,
      passed: false,
      message: 'request-duration 612ms above 500ms',
      time: '2026-01-11T09:06:10Z',
    },
  ],
});

async function setStatus(name: string, status: CanaryStatus): Promise<void> {
  await client.request('PATCH', canaryPath(namespace, name, 'status'), {
    body: { status },
    contentType: 'application/merge-patch+json',
  });
}

async function createCanary(name: string, canarySpec: CanarySpec, status?: CanaryStatus): Promise<Canary> {
  const canary = await client.request<Canary>('POST', `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries`, {
    body: { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name }, spec: canarySpec },
  });
  if (status) await setStatus(name, status);
  return canary;
}

const readCanary = (name: string): Promise<Canary> => client.request<Canary>('GET', canaryPath(namespace, name));
const linnet = (...args: string[]) => runLinnet([...args, '-n', namespace]);

/** The canary's two workloads, as the controller would leave them mid-run (no controller runs here). */
async function createDeployment(name: string, image: string): Promise<void> {
  await client.request('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
    body: {
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'podinfo', image }] } },
      },
    },
  });
}

beforeAll(async () => {
  client = ClusterClient.connect();
  await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
  await createDeployment('backend-primary', 'ghcr.io/stefanprodan/podinfo:6.0.0');
  await createDeployment('backend', 'ghcr.io/stefanprodan/podinfo:6.0.1');
  const backend = await createCanary('backend', spec(), progressing(20, 'Advance backend canary weight 20'));
  await createCanary('bluegreen', spec({ maxWeight: undefined, stepWeight: undefined, iterations: 10 }), {
    phase: 'Succeeded',
    canaryWeight: 0,
    iterations: 0,
    lastTransitionTime: '2026-01-11T09:15:10Z',
    conditions: [{ type: 'Promoted', status: 'True', reason: 'Succeeded', message: 'Promotion finished.' }],
  });
  await client.request('POST', `/api/v1/namespaces/${namespace}/events`, {
    body: {
      metadata: { generateName: 'backend.' },
      involvedObject: {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        name: 'backend',
        namespace,
        uid: backend.metadata.uid,
      },
      type: 'Normal',
      reason: 'Synced',
      message: 'Advance backend.webapp canary weight 20',
      source: { component: 'linnet' },
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
      count: 1,
    },
  });
});

afterAll(async () => {
  await client?.request('DELETE', `/api/v1/namespaces/${namespace}`).catch(() => undefined);
});

describe('linnet get canaries', () => {
  it('prints the kubectl table', async () => {
    const result = await linnet('get', 'canaries');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'NAME        STATUS        WEIGHT   LASTTRANSITIONTIME\n' +
        'backend     Progressing   20       2026-01-11T09:06:10Z\n' +
        'bluegreen   Succeeded     0        2026-01-11T09:15:10Z\n',
    );
  });

  it('adds the wide columns, and the namespace across namespaces', async () => {
    const wide = await linnet('get', 'canary', 'backend', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toBe(
      'NAME      STATUS        WEIGHT   LASTTRANSITIONTIME     SUSPENDED   FAILEDCHECKS   INTERVAL   MIRROR   ' +
        'STEPWEIGHT   STEPWEIGHTS   MAXWEIGHT',
    );
    expect(wide.stdout.split('\n')[1]).toMatch(
      /^backend\s+Progressing\s+20\s+\S+\s+false\s+1\s+90s\s+false\s+10\s+50$/,
    );
    const all = await runLinnet(['get', 'canaries', '-A']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`^NAMESPACE\\s+NAME\\s+STATUS`));
    expect(all.stdout).toMatch(new RegExp(`\\n${namespace}\\s+backend\\s+Progressing\\s+20\\s`));
  });

  it('prints JSON and YAML', async () => {
    const list = JSON.parse((await linnet('get', 'canaries', '-o', 'json')).stdout) as {
      kind: string;
      items: Canary[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((item) => [item.kind, item.metadata.name, item.status?.phase])).toEqual([
      ['Canary', 'backend', 'Progressing'],
      ['Canary', 'bluegreen', 'Succeeded'],
    ]);
    const one = parseYaml((await linnet('get', 'canary', 'backend', '-o', 'yaml')).stdout) as Canary;
    expect(one.spec.analysis?.maxWeight).toBe(50);
    expect((await linnet('get', 'canaries', '-o', 'name')).stdout).toBe(
      'canary.flagger.app/backend\ncanary.flagger.app/bluegreen\n',
    );
  });

  it('reports a missing canary and bad usage with exit code 3', async () => {
    const missing = await linnet('get', 'canary', 'nope');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/error: .*"nope" not found/);
    expect((await linnet('get', 'pods')).code).toBe(3);
    expect((await linnet('get', 'canaries', '-o', 'xml')).stderr).toMatch(/unknown output format "xml"/);
    expect((await runLinnet(['frobnicate'])).code).toBe(3);
  });
});

describe('linnet describe canary', () => {
  it('shows the spec, the status with the last decision, the last checks and the events', async () => {
    const result = await linnet('describe', 'canary', 'backend');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^Name:\s+backend$/m);
    expect(out).toMatch(/^Target:\s+Deployment\/backend$/m);
    expect(out).toMatch(/^Strategy:\s+Weight step: 10 max: 50$/m);
    expect(out).toMatch(/^Gateways:\s+istio-system\/public-gateway$/m);
    expect(out).toMatch(/^ {2}request-success-rate\s+>= 99\s+90s$/m);
    expect(out).toMatch(/^ {2}Phase:\s+Progressing$/m);
    expect(out).toMatch(/^ {2}Progress:\s+\[########\.+\] 20\/50%$/m);
    expect(out).toMatch(/^ {2}Step:\s+2\/5$/m);
    expect(out).toMatch(/^ {2}Elapsed:\s+\d+h\d\dm$/m);
    expect(out).toMatch(/^ {2}Primary:\s+backend-primary ghcr\.io\/stefanprodan\/podinfo:6\.0\.0 [01]\/1$/m);
    expect(out).toMatch(/^ {2}Canary:\s+backend ghcr\.io\/stefanprodan\/podinfo:6\.0\.1 [01]\/1$/m);
    expect(out).toMatch(/^ {2}Failed checks:\s+1 of 2$/m);
    expect(out).toMatch(/^ {4}Why:\s+Advance backend canary weight 20$/m);
    expect(out).toMatch(/^ {2}request-success-rate\s+99\.7\s+>= 99\s+passed\s/m);
    expect(out).toMatch(/^ {2}request-duration\s+612\s+<= 500\s+FAILED\s+\S+\s+request-duration 612ms above 500ms$/m);
    expect(out).toMatch(/^ {2}Normal\s+Synced\s+\S+\s+linnet\s+Advance backend\.webapp canary weight 20$/m);
  });
});

describe('linnet watch', () => {
  it('redraws step, progress, elapsed time, both workloads and the last decision on every change', async () => {
    const watch = startLinnet(['watch', '-n', namespace]);
    const workloads = 'podinfo:6\\.0\\.0 [01]\\/1\\s+podinfo:6\\.0\\.1 [01]\\/1';
    await watch.waitForOutput(/NAME\s+STATUS\s+STEP\s+PROGRESS\s+ELAPSED\s+PRIMARY\s+CANARY\s+LAST DECISION/);
    await watch.waitForOutput(
      new RegExp(
        `backend\\s+Progressing\\s+2/5\\s+\\[#{8}\\.{12}\\] 20/50%\\s+\\S+\\s+${workloads}\\s+Advance backend canary weight 20`,
      ),
    );
    await watch.waitForOutput(/bluegreen\s+Succeeded\s+10\/10\s+\[#{20}\] 10\/10 checks/);
    await setStatus('backend', progressing(40, 'Advance backend canary weight 40'));
    await watch.waitForOutput(
      new RegExp(
        `backend\\s+Progressing\\s+4/5\\s+\\[#{16}\\.{4}\\] 40/50%\\s+\\S+\\s+${workloads}\\s+Advance backend canary weight 40`,
      ),
    );
    watch.interrupt();
    expect((await watch.finished).code).toBe(0);
  });
});

describe('linnet wait', () => {
  it('exits 0 when the phase is reached', async () => {
    await createCanary('reaches', spec(), progressing(10, 'Advance'));
    const wait = startLinnet(['wait', 'reaches', '--for=Succeeded', '--timeout=60s', '-n', namespace]);
    await setStatus('reaches', { phase: 'Promoting', canaryWeight: 0 });
    await setStatus('reaches', {
      phase: 'Succeeded',
      conditions: [{ type: 'Promoted', status: 'True', reason: 'Succeeded', message: 'done' }],
    });
    const result = await wait.finished;
    expect(result).toMatchObject({ code: 0, stdout: 'canary.flagger.app/reaches condition met: phase Succeeded\n' });
  });

  it('exits 0 for a condition, and 1 when the canary fails instead', async () => {
    const promoted = await linnet('wait', 'canary/bluegreen', '--for=condition=Promoted');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/condition met: condition Promoted=True \(Succeeded\)/);

    await createCanary('fails', spec(), progressing(10, 'Advance'));
    const wait = startLinnet(['wait', 'fails', '--for=Succeeded', '--timeout=60s', '-n', namespace]);
    await setStatus('fails', {
      phase: 'Failed',
      canaryWeight: 0,
      lastDecision: { reason: 'Rollback', message: 'Canary failed! failed checks threshold reached 2', time: '' },
    });
    const result = await wait.finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'canary.flagger.app/fails failed while waiting for phase Succeeded: Canary failed! failed checks threshold reached 2\n',
    );
  });

  it('exits 2 on timeout and 3 on usage errors', async () => {
    const timeout = await linnet('wait', 'backend', '--for=Succeeded', '--timeout=1s');
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toBe(
      'timed out waiting for phase Succeeded on canary.flagger.app/backend (phase is Progressing)\n',
    );
    expect((await linnet('wait', 'backend')).code).toBe(3);
    expect((await linnet('wait', 'backend', '--for=Done')).code).toBe(3);
    const missing = await linnet('wait', 'missing', '--for=Succeeded');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/canary\.flagger\.app\/missing not found/);
  });
});

describe('manual controls', () => {
  it('records promote, abort and retry requests as annotations, replacing the previous request', async () => {
    await createCanary('controlled', spec(), progressing(30, 'Advance'));
    const promote = await linnet('promote', 'controlled');
    expect(promote.code).toBe(0);
    expect(promote.stdout).toMatch(/^canary\.flagger\.app\/controlled promote requested at \S+Z\n$/);
    const promoted = (await readCanary('controlled')).metadata.annotations ?? {};
    expect(promoted['linnet.dev/action']).toBe('promote');
    const firstRequest = promoted['linnet.dev/action-requested-at'] ?? '';
    expect(new Date(firstRequest).toISOString()).toBe(firstRequest);

    const abort = await linnet('abort', 'canary/controlled');
    expect(abort.code).toBe(0);
    const aborted = (await readCanary('controlled')).metadata.annotations ?? {};
    expect(aborted['linnet.dev/action']).toBe('abort');
    expect(aborted['linnet.dev/action-requested-at']! > firstRequest).toBe(true);

    const retry = await linnet('retry', 'canary', 'controlled');
    expect(retry.code).toBe(0);
    expect(retry.stderr).toMatch(
      /note: the canary is Progressing; the controller acts on retry only when it is Failed/,
    );
    expect((await readCanary('controlled')).metadata.annotations?.['linnet.dev/action']).toBe('retry');

    const described = await linnet('describe', 'canary', 'controlled');
    expect(described.stdout).toMatch(/^Pending action:\s+retry \(requested \S+\)$/m);
    expect((await linnet('promote', 'ghost')).code).toBe(3);
  });

  it('pauses and resumes through spec.suspend', async () => {
    await createCanary('pausable', spec(), progressing(10, 'Advance'));
    expect((await linnet('pause', 'pausable')).stdout).toBe('canary.flagger.app/pausable paused\n');
    expect((await readCanary('pausable')).spec.suspend).toBe(true);
    expect((await linnet('pause', 'pausable')).stdout).toBe('canary.flagger.app/pausable already paused\n');
    const promote = await linnet('promote', 'pausable');
    expect(promote.stderr).toMatch(/the canary is paused; the request waits until linnet resume pausable/);
    expect((await linnet('resume', 'pausable')).stdout).toBe('canary.flagger.app/pausable resumed\n');
    expect((await readCanary('pausable')).spec.suspend).toBe(false);
  });
});

describe('linnet convert kurator', () => {
  it("prints the Canary equivalent to the seed's Application, from a file or standard input", async () => {
    // The Application of the seed walkthrough, exactly as its last-applied-configuration shows it.
    const file = fileURLToPath(new URL('fixtures/kurator-rollout-demo.json', import.meta.url));
    const fromFile = await runLinnet(['convert', 'kurator', '-f', file]);
    expect(fromFile.code).toBe(0);
    expect(parseYaml(fromFile.stdout)).toEqual(SEED_KURATOR_CANARY);
    expect(fromFile.stderr).toMatch(/note: webapp\/backend has testLoader: true/);

    const fromStdin = await runLinnet(['convert', 'kurator', '-f', '-', '-o', 'json'], await readFile(file, 'utf8'));
    expect(JSON.parse(fromStdin.stdout)).toEqual(SEED_KURATOR_CANARY);
  });

  it('converts a bare rolloutPolicy in YAML given the workload, and rejects invalid input', async () => {
    const policy = 'trafficAnalysis:\n  checkFailedTimes: 3\ntrafficRouting:\n  analysisTimes: 5\n';
    const result = await runLinnet(
      ['convert', 'kurator', '-f', '-', '--name', 'web', '-n', 'shop', '--port', '8080'],
      `${policy}---\n${policy}`,
    );
    expect(result.code).toBe(0);
    const documents = parseAllDocuments(result.stdout);
    expect(Array.isArray(documents) && documents.map((document) => document.toJS())).toEqual([
      expect.objectContaining({
        spec: expect.objectContaining({ analysis: { interval: '60s', threshold: 3, iterations: 5 } }),
      }),
      expect.objectContaining({ metadata: { name: 'web', namespace: 'shop' } }),
    ]);
    const invalid = await runLinnet(['convert', 'kurator', '-f', '-'], 'trafficAnalysis:\n  checkFailedTimes: two\n');
    expect(invalid.code).toBe(3);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(/error: trafficAnalysis\.checkFailedTimes: must be an integer \(got "two"\)/);
    expect((await runLinnet(['convert', 'kurator'])).code).toBe(3);
  });
});
