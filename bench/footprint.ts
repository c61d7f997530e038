// Footprint of Linnet next to Flagger v1.44.0 on the same N Canaries, recorded in docs/benchmarks.md:
//   - time from the controller's start until every Canary is Initialized, and the peak RSS meanwhile;
//   - idle: RSS mean/peak, CPU seconds and API requests per canary per minute over --window seconds;
//   - the same while 10 % of the Canaries progress (a pod-template change each, at the window's start).
// The controllers run one after the other, each on its own copy of the Canaries in its own namespace, as its own
// ServiceAccount with its own APF FlowSchema, so kube-apiserver counts each one's requests
// (apiserver_flowcontrol_dispatched_requests_total{flow_schema}); RSS and CPU come from /proc/<pid>.
//
//   npx node bench/footprint.ts --canaries 50 [--window 300] [--controllers flagger,linnet]
//                               [--linnet-before <checkout>] [--tuned-node-options "<V8 flags>"] [--cluster current]
//                               [--reuse flagger] [--no-docs]
//
// Flagger is built once from the Go module proxy into ~/.cache/linnet/flagger/v1.44.0 (reused when present).
// Each controller's figures are also saved under ~/.cache/linnet/bench/ (per controller, canary count and window);
// --reuse names controllers whose saved figures are reported instead of running them again: Flagger's do not
// change with Linnet's code, and at 1,000 Canaries its run takes most of an hour.
// `linnet` is Linnet as the image runs it: the JavaScript bundle (`npm run bundle:controller`, rebuilt by the bench)
// with the environment the kustomize base gives the container (deploy/controller/deployment.yaml: NODE_OPTIONS, ...).
// --controllers may add `linnet-sources`: the same, but the TypeScript sources run by Node's type stripping (as
// `npm run controller` does); `linnet-tuned`: the bundle with NODE_OPTIONS set to --tuned-node-options instead; and
// `linnet-before`: Linnet's sources from another checkout (--linnet-before, e.g. a `git archive` of an earlier commit
// with this checkout's node_modules linked in) without NODE_OPTIONS, to show a change's effect in the same run.
// The cluster must be running (npm run testenv -- up); the bench adds a ServiceCIDR for the Canaries' Services and
// kwok nodes for their pods, and deletes everything it created at the end, also on SIGINT/SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { e2eTypes } from '../packages/controller/test/e2e/support/cluster-objects.ts';
import { scenarioCanary, scenarioDeployment } from '../packages/controller/test/e2e/support/scenario-canaries.ts';
import { parsePrometheusText } from '../packages/controller/test/e2e/support/scenario-probes.ts';
import {
  createKubeAccess,
  defineResourceType,
  resourceTypes,
  type KubeAccess,
  type KubeObject,
} from '../packages/controller/src/kube/index.ts';
import { readClusterEnv } from '../packages/testenv/src/index.ts';
import { fakeNode } from '../packages/testenv/src/kwok.ts';
import { repoRoot } from '../packages/testenv/src/paths.ts';
import { benchmarksFile, writeBenchmarkSection } from './support/benchmarks-doc.ts';
import { flag, integerFlag } from './support/command-line.ts';
import { currentCommit, machineDescription } from './support/run-context.ts';
import { ensureFlagger } from './support/flagger.ts';

// ---- command line ----

const controllerNames = ['flagger', 'linnet', 'linnet-sources', 'linnet-tuned', 'linnet-before'] as const;
type ControllerName = (typeof controllerNames)[number];
const canaryCount = integerFlag('canaries', 50);
const windowSeconds = integerFlag('window', 300);
const clusterName = flag('cluster') ?? 'current';
const controllers = (flag('controllers') ?? 'flagger,linnet').split(',') as ControllerName[];
const linnetBefore = flag('linnet-before');
const tunedNodeOptions = flag('tuned-node-options') ?? '--max-semi-space-size=1';
const reused = new Set((flag('reuse') ?? '').split(',').filter(Boolean) as ControllerName[]);
const writeDocs = !process.argv.includes('--no-docs');
const command = `npx node bench/footprint.ts ${process.argv.slice(2).join(' ')}`.trim();
for (const name of controllers) {
  if (!(controllerNames as readonly string[]).includes(name)) {
    throw new Error(`unknown controller ${name}`);
  }
}
if (controllers.includes('linnet-before') && !linnetBefore) throw new Error('linnet-before needs --linnet-before');
for (const name of reused) if (!controllers.includes(name)) throw new Error(`--reuse ${name}: not in --controllers`);

const startMarker = `<!-- footprint-${canaryCount}:start -->`;
const endMarker = `<!-- footprint-${canaryCount}:end -->`;
const PRIORITY_LEVEL = 'workload-low';
const SERVICE_CIDR = 'linnet-bench-footprint';
// Three Services per Canary: 1,000 Canaries need more than a /22.
const SERVICE_CIDR_RANGE = '10.0.16.0/20';
// Each Canary has two pods while it initializes (target and primary); testenv's one kwok node holds 500.
const BENCH_NODE_PREFIX = 'linnet-bench-footprint-';
const PODS_PER_NODE = 500;
const savedFiguresDir = join(homedir(), '.cache', 'linnet', 'bench');

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const serviceCidrType = defineResourceType<KubeObject & { spec?: { cidrs?: string[] } }>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'ServiceCIDR',
  plural: 'servicecidrs',
  namespaced: false,
});
const serviceAccountType = defineResourceType({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
});
const clusterRoleBindingType = defineResourceType({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
});
const nodeType = defineResourceType({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false });
const flowSchemaType = defineResourceType({
  group: 'flowcontrol.apiserver.k8s.io',
  version: 'v1',
  kind: 'FlowSchema',
  plural: 'flowschemas',
  namespaced: false,
});

// ---- kube-apiserver as the admin (metrics, token requests) ----

class AdminClient {
  private readonly server: string;
  private readonly ca: Buffer | undefined;
  private readonly cert: Buffer | undefined;
  private readonly key: Buffer | undefined;
  readonly caData: string;

  constructor(kubeconfig: string) {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfig);
    const cluster = config.getCurrentCluster();
    const user = config.getCurrentUser();
    if (!cluster || !user) throw new Error(`${kubeconfig} has no current cluster/user`);
    const decode = (data: string | undefined): Buffer | undefined =>
      data === undefined ? undefined : Buffer.from(data, 'base64');
    this.server = cluster.server;
    this.caData = cluster.caData ?? '';
    this.ca = decode(cluster.caData);
    this.cert = decode(user.certData);
    this.key = decode(user.keyData);
  }

  get url(): string {
    return this.server;
  }

  send(method: string, path: string, body?: unknown): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        {
          method,
          ca: this.ca,
          cert: this.cert,
          key: this.key,
          timeout: 30_000,
          headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(text);
            else reject(new Error(`${method} ${path} answered ${status}: ${text.slice(0, 300)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** Requests dispatched by APF for one FlowSchema so far. */
  async dispatched(flowSchema: string): Promise<number> {
    const samples = parsePrometheusText(await this.send('GET', '/metrics'));
    return samples
      .filter(
        (sample) =>
          sample.name === 'apiserver_flowcontrol_dispatched_requests_total' && sample.labels.flow_schema === flowSchema,
      )
      .reduce((sum, sample) => sum + sample.value, 0);
  }
}

// ---- /proc sampling ----

function rssBytes(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((candidate) => candidate.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process (clock ticks are 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

class RssSampler {
  private readonly samples: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(pid: number) {
    const take = (): void => {
      const value = rssBytes(pid);
      if (value !== undefined) this.samples.push(value);
    };
    take();
    this.timer = setInterval(take, 1_000);
  }

  stop(): { meanMiB: number; peakMiB: number } {
    clearInterval(this.timer);
    const mib = this.samples.map((value) => value / 1024 ** 2);
    return {
      meanMiB: mib.reduce((sum, value) => sum + value, 0) / Math.max(1, mib.length),
      peakMiB: Math.max(0, ...mib),
    };
  }
}

// ---- helpers ----

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let index = 0; index < items.length; index += size)
    await Promise.all(items.slice(index, index + size).map(work));
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  intervalMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function kubeconfigFor(admin: AdminClient, token: string, file: string): void {
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bench', cluster: { server: admin.url, 'certificate-authority-data': admin.caData } }],
      users: [{ name: 'bench', user: { token } }],
      contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
      'current-context': 'bench',
    }),
    { mode: 0o600 },
  );
}

/** The extra kwok nodes that hold every Canary's two pods. */
function benchNodeNames(): string[] {
  const count = Math.ceil((2 * canaryCount) / PODS_PER_NODE);
  return Array.from({ length: count }, (_, index) => `${BENCH_NODE_PREFIX}${index}`);
}

async function deleteSharedObjects(access: KubeAccess): Promise<void> {
  for (const node of benchNodeNames()) await access.delete(nodeType, { name: node }).catch(() => undefined);
  // Finishes once the Services in it are gone.
  await access.delete(serviceCidrType, { name: SERVICE_CIDR }).catch(() => undefined);
}

// ---- one controller's run ----

interface WindowFigures {
  rssMeanMiB: number;
  rssPeakMiB: number;
  cpuSeconds: number;
  requestsPerCanaryPerMinute: number;
}

interface ControllerFigures {
  initializedSeconds: number;
  initPeakRssMiB: number;
  idle: WindowFigures;
  progress: WindowFigures;
  /** Time from the change until every changed Canary succeeded, if within the window. */
  progressSucceededSeconds: number | undefined;
  /** The machine's 1-minute load average at the end of the run, and when and at which commit it ran. */
  loadAverage: number;
  date: string;
  commit: string;
}

function savedFiguresFile(name: ControllerName): string {
  return join(savedFiguresDir, `footprint-${name}-${canaryCount}-canaries-${windowSeconds}s.json`);
}

function loadSavedFigures(name: ControllerName): ControllerFigures {
  const file = savedFiguresFile(name);
  if (!existsSync(file)) throw new Error(`--reuse ${name}: no saved figures in ${file}; run it once without --reuse`);
  return JSON.parse(readFileSync(file, 'utf8')) as ControllerFigures;
}

interface RunContext {
  access: KubeAccess;
  admin: AdminClient;
  prometheusUrl: string;
  workDir: string;
}

function startProcess(name: ControllerName, kubeconfig: string, namespace: string, ctx: RunContext, port: number) {
  const logFile = join(ctx.workDir, `${name}-${canaryCount}.log`);
  const output = createWriteStream(logFile);
  let child: ChildProcess;
  if (name === 'flagger') {
    child = spawn(
      ensureFlagger(log),
      [
        `-kubeconfig=${kubeconfig}`,
        `-namespace=${namespace}`,
        '-mesh-provider=istio',
        `-metrics-server=${ctx.prometheusUrl}`,
        `-port=${port}`,
        '-log-level=info',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } else {
    const root = name === 'linnet-before' ? (linnetBefore ?? '') : repoRoot;
    const bundled = name === 'linnet' || name === 'linnet-tuned';
    const environment =
      name === 'linnet-before'
        ? { NODE_OPTIONS: '' }
        : { ...deployedEnvironment(), ...(name === 'linnet-tuned' && { NODE_OPTIONS: tunedNodeOptions }) };
    child = spawn(
      process.execPath,
      [
        bundled ? bundleMain : join(root, 'packages', 'controller', 'src', 'main.ts'),
        `-kubeconfig=${kubeconfig}`,
        `-namespace=${namespace}`,
        `-metrics-server=${ctx.prometheusUrl}`,
        `-port=${port}`,
        '-log-level=info',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: root,
        env: { ...process.env, ...environment },
      },
    );
  }
  child.stdout?.pipe(output);
  child.stderr?.pipe(output);
  return { child, logFile };
}

const bundleMain = join(repoRoot, 'packages', 'controller', 'build', 'main.mjs');

/** The environment variables with literal values that the kustomize base sets on the controller's container. */
function deployedEnvironment(): Record<string, string> {
  const deployment = parseYaml(readFileSync(join(repoRoot, 'deploy', 'controller', 'deployment.yaml'), 'utf8')) as {
    spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
  };
  const env = deployment.spec.template.spec.containers[0]?.env ?? [];
  return Object.fromEntries(env.flatMap((entry) => (entry.value === undefined ? [] : [[entry.name, entry.value]])));
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function phases(access: KubeAccess, namespace: string): Promise<Map<string, string>> {
  const { items } = await access.list(e2eTypes.canary, { namespace });
  return new Map(items.map((canary) => [canary.metadata?.name ?? '', canary.status?.phase ?? '']));
}

async function measureWindow(ctx: RunContext, pid: number, flowSchema: string): Promise<WindowFigures> {
  const sampler = new RssSampler(pid);
  const cpuStart = cpuSeconds(pid);
  const requestsStart = await ctx.admin.dispatched(flowSchema);
  const started = Date.now();
  await delay(windowSeconds * 1000);
  const requests = (await ctx.admin.dispatched(flowSchema)) - requestsStart;
  const minutes = (Date.now() - started) / 60_000;
  const cpu = cpuSeconds(pid) - cpuStart;
  const rss = sampler.stop();
  return {
    rssMeanMiB: rss.meanMiB,
    rssPeakMiB: rss.peakMiB,
    cpuSeconds: cpu,
    requestsPerCanaryPerMinute: requests / minutes / canaryCount,
  };
}

async function runController(name: ControllerName, ctx: RunContext): Promise<ControllerFigures> {
  const { access, admin } = ctx;
  const namespace = `bench-fp-${name}`;
  const account = `bench-fp-${name}`;
  const flowSchema = `bench-fp-${name}`;
  let child: ChildProcess | undefined;
  const cleanUp = async (): Promise<void> => {
    if (child) await stopProcess(child);
    await access.delete(flowSchemaType, { name: flowSchema }).catch(() => undefined);
    await access.delete(clusterRoleBindingType, { name: account }).catch(() => undefined);
    await access.delete(resourceTypes.namespace, { name: namespace }).catch(() => undefined);
    await waitFor(`namespace ${namespace} deleted`, 1_800_000, 2_000, async () =>
      (await access.get(resourceTypes.namespace, { name: namespace })) ? undefined : true,
    );
    log(`${name}: namespace ${namespace} deleted`);
  };
  const interrupted = (): void => {
    log('interrupted: cleaning up');
    void cleanUp()
      .then(() => deleteSharedObjects(access))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
    await access.create(serviceAccountType, { metadata: { name: account, namespace } });
    await access.apply(clusterRoleBindingType, {
      metadata: { name: account },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    } as KubeObject);
    await access.apply(flowSchemaType, {
      metadata: { name: flowSchema },
      spec: {
        priorityLevelConfiguration: { name: PRIORITY_LEVEL },
        matchingPrecedence: 500,
        distinguisherMethod: { type: 'ByUser' },
        rules: [
          {
            subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: account, namespace } }],
            resourceRules: [
              { verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] },
            ],
            nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          },
        ],
      },
    } as KubeObject);
    const tokenAnswer = await admin.send('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 86_400 },
    });
    const token = (JSON.parse(tokenAnswer) as { status?: { token?: string } }).status?.token ?? '';
    const kubeconfig = join(ctx.workDir, `${name}.kubeconfig`);
    kubeconfigFor(admin, token, kubeconfig);

    const names = Array.from({ length: canaryCount }, (_, index) => `app-${String(index).padStart(4, '0')}`);
    await inBatches(names, 20, async (app) => {
      await access.apply(e2eTypes.deployment, scenarioDeployment({ namespace, name: app }), { force: true });
      await access.apply(
        e2eTypes.canary,
        scenarioCanary({
          namespace,
          name: app,
          analysis: { interval: '10s', threshold: 1, stepWeight: 50, maxWeight: 50, metrics: [] },
        }),
        { force: true },
      );
    });
    log(`${name}: applied ${canaryCount} Deployments and Canaries in ${namespace}`);

    const port = await freePort();
    const started = Date.now();
    const process_ = startProcess(name, kubeconfig, namespace, ctx, port);
    child = process_.child;
    const pid = child.pid ?? -1;
    log(`${name}: pid ${pid}, log ${process_.logFile}`);
    const initSampler = new RssSampler(pid);
    await waitFor(`${name}: all ${canaryCount} Canaries Initialized`, 3_600_000, 2_000, async () => {
      if (child?.exitCode !== null)
        throw new Error(`${name} exited (${String(child?.exitCode)}); see ${process_.logFile}`);
      const current = await phases(access, namespace);
      const initialized = [...current.values()].filter((phase) => phase === 'Initialized').length;
      return initialized === canaryCount ? true : undefined;
    });
    const initializedSeconds = (Date.now() - started) / 1000;
    const initPeakRssMiB = initSampler.stop().peakMiB;
    log(
      `${name}: all Initialized after ${initializedSeconds.toFixed(1)} s (peak RSS ${initPeakRssMiB.toFixed(0)} MiB)`,
    );
    // Let the last status writes and their follow-up reconciles settle before the idle window.
    await delay(15_000);

    log(`${name}: idle window ${windowSeconds} s`);
    const idle = await measureWindow(ctx, pid, flowSchema);
    log(`${name}: idle ${JSON.stringify(idle)}`);

    const changed = names.filter((_, index) => index % 10 === 0);
    const changedAt = Date.now();
    await inBatches(changed, 20, (app) =>
      access.mergePatch(
        e2eTypes.deployment,
        { namespace, name: app },
        { spec: { template: { metadata: { annotations: { 'bench.linnet.dev/change': String(changedAt) } } } } },
      ),
    );
    log(`${name}: changed ${changed.length} Deployments; progress window ${windowSeconds} s`);
    let progressSucceededSeconds: number | undefined;
    const watchSucceeded = (async () => {
      while (Date.now() - changedAt < windowSeconds * 1000) {
        const current = await phases(access, namespace);
        if (changed.every((app) => current.get(app) === 'Succeeded')) {
          progressSucceededSeconds = (Date.now() - changedAt) / 1000;
          return;
        }
        await delay(5_000);
      }
    })();
    const progress = await measureWindow(ctx, pid, flowSchema);
    await watchSucceeded;
    log(`${name}: progress ${JSON.stringify(progress)}; succeeded after ${String(progressSucceededSeconds)} s`);
    const figures: ControllerFigures = {
      initializedSeconds,
      initPeakRssMiB,
      idle,
      progress,
      progressSucceededSeconds,
      loadAverage: loadavg()[0] ?? 0,
      date: new Date().toISOString().slice(0, 16).replace('T', ' '),
      commit: currentCommit(),
    };
    mkdirSync(savedFiguresDir, { recursive: true });
    writeFileSync(savedFiguresFile(name), JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

// ---- report ----

function report(results: Map<ControllerName, ControllerFigures>): string {
  const columns = [...results.keys()];
  const flagger = results.get('flagger');
  const linnets = columns.filter((name) => name !== 'flagger');
  const figure = (value: number, digits: number): string => value.toFixed(digits);
  const rows: Array<[string, (figures: ControllerFigures) => number, number]> = [
    ['time until all Initialized (s)', (f) => f.initializedSeconds, 1],
    ['peak RSS while initializing (MiB)', (f) => f.initPeakRssMiB, 0],
    ['idle: RSS mean (MiB)', (f) => f.idle.rssMeanMiB, 0],
    ['idle: RSS peak (MiB)', (f) => f.idle.rssPeakMiB, 0],
    [`idle: CPU seconds in ${windowSeconds} s`, (f) => f.idle.cpuSeconds, 2],
    ['idle: API requests per canary per minute', (f) => f.idle.requestsPerCanaryPerMinute, 3],
    ['10 % progressing: RSS mean (MiB)', (f) => f.progress.rssMeanMiB, 0],
    ['10 % progressing: RSS peak (MiB)', (f) => f.progress.rssPeakMiB, 0],
    [`10 % progressing: CPU seconds in ${windowSeconds} s`, (f) => f.progress.cpuSeconds, 2],
    ['10 % progressing: API requests per canary per minute', (f) => f.progress.requestsPerCanaryPerMinute, 3],
  ];
  const ratioHeaders = flagger ? linnets.map((name) => `Flagger / ${name}`) : [];
  const lines = [
    `| figure | ${columns.join(' | ')} |${ratioHeaders.map((header) => ` ${header} |`).join('')}`,
    `|---|${columns.map(() => '---|').join('')}${ratioHeaders.map(() => '---|').join('')}`,
  ];
  for (const [label, pick, digits] of rows) {
    const values = columns.map((name) => figure(pick(results.get(name) as ControllerFigures), digits));
    const ratios = flagger
      ? linnets.map((name) => {
          const linnet = pick(results.get(name) as ControllerFigures);
          return linnet > 0 ? `${(pick(flagger) / linnet).toFixed(2)}×` : '—';
        })
      : [];
    lines.push(`| ${label} | ${values.join(' | ')} |${ratios.map((ratio) => ` ${ratio} |`).join('')}`);
  }
  const succeeded = columns
    .map((name) => {
      const seconds = results.get(name)?.progressSucceededSeconds;
      return `${name} ${seconds === undefined ? `not within ${windowSeconds} s` : `${seconds.toFixed(0)} s`}`;
    })
    .join(', ');

  const commit = currentCommit();
  const machine = machineDescription();
  const runs = columns
    .map((name) => {
      const figures = results.get(name) as ControllerFigures;
      const when = reused.has(name)
        ? `saved from an earlier run (${figures.date} UTC, commit ${figures.commit}), `
        : '';
      return `${name}: ${when}load average ${figures.loadAverage.toFixed(1)}`;
    })
    .join('; ');
  return [
    startMarker,
    `### ${canaryCount} canaries`,
    '',
    `Produced by \`${command}\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit}, on the local cluster`,
    `\`${clusterName}\`; ${machine}. 1-minute load average at the end of each controller's run: ${runs}.`,
    `Windows of ${windowSeconds} s. \`linnet\` runs the bundle with the kustomize base's environment (${Object.entries(
      deployedEnvironment(),
    )
      .map(([key, value]) => `${key}="${value}"`)
      .join(', ')}).` +
      (controllers.includes('linnet-sources') ? ' `linnet-sources` runs the TypeScript sources instead.' : '') +
      (controllers.includes('linnet-tuned')
        ? ` \`linnet-tuned\` is the bundle with NODE_OPTIONS="${tunedNodeOptions}".`
        : '') +
      (linnetBefore ? ' `linnet-before` is Linnet before the footprint work (see above).' : ''),
    '',
    ...lines,
    '',
    `10 % of the Canaries changed at the start of the progress window; all of them Succeeded after: ${succeeded}.`,
    endMarker,
  ].join('\n');
}

async function main(): Promise<void> {
  const env = readClusterEnv(clusterName);
  if (!env) throw new Error(`cluster ${clusterName} is not running: npm run testenv -- up`);
  if (controllers.includes('flagger')) ensureFlagger(log);
  const access = createKubeAccess({ kubeconfig: env.KUBECONFIG, fieldManager: 'linnet-bench' });
  const workDir = join(tmpdir(), `linnet-bench-footprint-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const ctx: RunContext = {
    access,
    admin: new AdminClient(env.KUBECONFIG),
    prometheusUrl: env.PROMETHEUS_URL,
    workDir,
  };
  const results = new Map<ControllerName, ControllerFigures>();
  const toRun = controllers.filter((name) => !reused.has(name));
  if (toRun.includes('linnet') || toRun.includes('linnet-tuned')) {
    execFileSync(process.execPath, [join(repoRoot, 'packages', 'controller', 'scripts', 'bundle.ts')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  if (toRun.length > 0) {
    await access.apply(serviceCidrType, { metadata: { name: SERVICE_CIDR }, spec: { cidrs: [SERVICE_CIDR_RANGE] } });
    for (const node of benchNodeNames()) await access.apply(nodeType, fakeNode(node));
  }
  try {
    for (const name of controllers)
      results.set(name, reused.has(name) ? loadSavedFigures(name) : await runController(name, ctx));
  } finally {
    if (toRun.length > 0) await deleteSharedObjects(access);
  }
  const section = report(results);
  if (writeDocs) {
    writeBenchmarkSection(startMarker, endMarker, section, '<!-- footprint:end -->');
    log(`updated ${benchmarksFile}`);
  }
  process.stdout.write(`${section}\n`);
}

await main();
