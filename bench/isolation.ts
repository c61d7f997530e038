// Isolation benchmark (issue 9), recorded in the isolation sections of docs/benchmarks.md (one per N): N Canaries progress at once
// on the local cluster, 10 % of them stuck on their checks (half with a rollout webhook that never answers, half with
// a "Prometheus" that drips its answer one byte a second), the rest healthy (a rollout webhook that answers 200 at
// once). For the healthy ones it measures the step-timing drift: the time between two weight changes of a Canary
// minus its analysis interval, i.e. how late each step came after it was due. It also measures the controller's CPU
// time over the run. Linnet and Flagger v1.44.0 run one after the other on the same Canaries (same specs, a fresh
// namespace each), and the Flagger/Linnet ratios are printed.
//
//   npx node bench/isolation.ts [--canaries 20] [--bad-percent 10] [--interval 10s]
//                               [--controllers linnet,flagger] [--linnet-flags "-threadiness=8"]
//                               [--run-budget 20m] [--cluster current] [--no-docs]
//
// It uses a running local cluster (default the shared "current"; for figures start one with
// `npm run testenv -- up --name bench --no-mesh-simulator`: the Canaries need no mesh traffic) and never starts or
// stops one. Each controller watches only its bench namespace. Three Services per Canary do not fit the
// testenv's /24 Service range, so a ServiceCIDR (10.0.32.0/19: 8,190 addresses, room for two runs of 1,000 Canaries
// while the first namespace is still being deleted; apart from the other benches' ranges) is added while
// the bench runs, and the pods go to a tainted kwok node of the bench's own. Flagger is built once with
// `go install github.com/fluxcd/flagger/cmd/flagger@v1.44.0` into ~/.cache/linnet/flagger/v1.44.0 and reused.
// The namespaces, the ServiceCIDR and the node are deleted at the end, also on SIGINT/SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseDuration } from '@linnet/api';
import type { CanaryAnalysis } from '@linnet/api';
import { startController, type ControllerProcess } from '../packages/controller/test/e2e/support/controller-process.ts';
import { e2eTypes, type CanaryObject } from '../packages/controller/test/e2e/support/cluster-objects.ts';
import {
  recordObjects,
  type ObjectRecorder,
  type RecordedVersion,
} from '../packages/controller/test/e2e/support/object-recorder.ts';
import { scenarioCanary, scenarioDeployment } from '../packages/controller/test/e2e/support/scenario-canaries.ts';
import {
  answer,
  closeLoopbackServers,
  dripFeed,
  neverAnswer,
  startLoopbackServer,
  type Respond,
} from '../packages/controller/src/testing/loopback-server.ts';
import {
  createKubeAccess,
  defineResourceType,
  resourceTypes,
  type KubeAccess,
  type KubeObject,
} from '../packages/controller/src/kube/index.ts';
import { checkClusterHealth, readClusterState } from '../packages/testenv/src/index.ts';
import { benchmarksFile, writeBenchmarkSection } from './support/benchmarks-doc.ts';
import { flag, integerFlag } from './support/command-line.ts';
import { currentCommit, machineDescription } from './support/run-context.ts';
import { DEFAULT_WORKERS } from '../packages/controller/src/flags/index.ts';
import { ensureFlagger, FLAGGER_VERSION } from './support/flagger.ts';

// ---- command line ----

type ControllerName = 'linnet' | 'flagger';
const canaryCount = integerFlag('canaries', 20);
const badPercent = Math.min(integerFlag('bad-percent', 10), 100);
const interval = flag('interval') ?? '10s';
const intervalMs = parseDuration(interval);
const controllers = (flag('controllers') ?? 'linnet,flagger').split(',') as ControllerName[];
for (const name of controllers) {
  if (name !== 'linnet' && name !== 'flagger') throw new Error(`--controllers: unknown controller ${name}`);
}
const clusterName = flag('cluster') ?? 'current';
/**
 * How long each controller may take, from the change, for every healthy Canary to succeed; default four times a
 * healthy run plus 1 s per Canary. A run that needs longer is cut off there and reported as such.
 */
const runBudgetFlag = flag('run-budget');
const runBudgetMs = runBudgetFlag === undefined ? undefined : parseDuration(runBudgetFlag);
/** Extra controller flags for Linnet, e.g. "-threadiness=8" (space-separated). */
const linnetFlags = (flag('linnet-flags') ?? '').split(' ').filter((item) => item !== '');
const writeDocs = !process.argv.includes('--no-docs');
const command = `npx node bench/isolation.ts ${process.argv
  .slice(2)
  .map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg))
  .join(' ')}`.trim();

// One section per number of Canaries (and Linnet flags), so the runs at 100, 300 and 1,000 stand side by side.
const sectionId = [canaryCount, ...linnetFlags.map((item) => item.replace(/[^a-z0-9]+/gi, ''))].join('-');
const startMarker = `<!-- isolation-${sectionId}:start -->`;
const endMarker = `<!-- isolation-${sectionId}:end -->`;
/** Healthy runs: weights 10 … 50, so four measured gaps per Canary. */
const STEP_WEIGHT = 10;
const MAX_WEIGHT = 50;

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** The cluster's mesh simulator ("enabled" or "off"), as the report states it. */
let meshSimulator = 'unknown';

const EXTRA_SERVICE_CIDR = 'linnet-bench-isolation';
const nodeType = defineResourceType<KubeObject>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
});
/**
 * The testenv's kwok node holds 500 pods, shared by everyone's tests, and a run needs up to three pods per Canary
 * (primary, canary, the primary's surge at promotion). The bench adds a kwok node of its own, tainted so only its
 * pods land there, and removes it at the end.
 */
const BENCH_NODE = 'linnet-bench-isolation';
const BENCH_TAINT = { key: 'linnet.dev/bench', value: 'isolation', effect: 'NoSchedule' };
function benchNode(): KubeObject {
  const resources = { cpu: '256', memory: '1Ti', pods: String(Math.max(500, canaryCount * 4)) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: BENCH_NODE,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': BENCH_NODE, 'kubernetes.io/os': 'linux', type: 'kwok' },
    },
    spec: { taints: [BENCH_TAINT] },
    status: {
      allocatable: resources,
      capacity: resources,
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake' },
    },
  } as KubeObject;
}

/** The scenario Deployment, placed on the bench node. */
function benchDeployment(namespace: string, name: string): ReturnType<typeof scenarioDeployment> {
  const deployment = scenarioDeployment({ namespace, name });
  const podSpec = deployment.spec?.template.spec;
  if (podSpec) {
    podSpec.nodeSelector = { 'kubernetes.io/hostname': BENCH_NODE };
    podSpec.tolerations = [{ ...BENCH_TAINT, operator: 'Equal' }];
  }
  return deployment;
}
const serviceCidrType = defineResourceType<KubeObject & { spec?: { cidrs?: string[] } }>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'ServiceCIDR',
  plural: 'servicecidrs',
  namespaced: false,
});

// ---- the Canaries ----

type CanaryKind = 'healthy' | 'hanging-hook' | 'drip-prometheus';

interface Endpoints {
  fastHook: string;
  hangingHook: string;
  dripPrometheus: string;
}

/** Every tenth (by default) Canary is stuck, alternating between a hanging hook and a drip-feeding Prometheus. */
function kindOf(index: number): CanaryKind {
  const every = Math.max(1, Math.round(100 / badPercent));
  if (index % every !== 0) return 'healthy';
  return (index / every) % 2 === 0 ? 'hanging-hook' : 'drip-prometheus';
}

function analysisFor(kind: CanaryKind, endpoints: Endpoints): CanaryAnalysis {
  const schedule = { interval, stepWeight: STEP_WEIGHT, maxWeight: MAX_WEIGHT };
  switch (kind) {
    case 'healthy':
      return {
        ...schedule,
        threshold: 5,
        webhooks: [{ name: 'fast', type: 'rollout', url: endpoints.fastHook, timeout: '5s' }],
      };
    case 'hanging-hook':
      return {
        ...schedule,
        threshold: 50,
        webhooks: [{ name: 'hangs', type: 'rollout', url: endpoints.hangingHook, timeout: '60s' }],
      };
    case 'drip-prometheus':
      return {
        ...schedule,
        threshold: 50,
        metrics: [{ name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } }],
      };
  }
}

/** Answers the `vector(1)` liveness query properly (so the Canary initializes), and drips every other answer. */
const dripPrometheus: Respond = (request, response) => {
  if (request.path.includes('query=vector%281%29')) {
    answer(
      200,
      JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } }),
      'application/json',
    )(request, response);
  } else dripFeed(1_000)(request, response);
};

// ---- controllers ----

interface RunningController {
  pid: number;
  logFile: string;
  isRunning(): boolean;
  stop(): Promise<void>;
  /** The controller's /metrics text, where it has one the bench reads (Linnet). */
  metrics?(): Promise<string>;
}

async function startFlagger(namespace: string, kubeconfig: string, prometheusUrl: string): Promise<RunningController> {
  const logDir = join(tmpdir(), 'linnet-bench');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `flagger-isolation-${Date.now()}.log`);
  const output = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    ensureFlagger(log),
    [
      `-kubeconfig=${kubeconfig}`,
      `-namespace=${namespace}`,
      '-mesh-provider=istio',
      `-metrics-server=${prometheusUrl}`,
      '-port=0',
      '-log-level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(output);
  child.stderr?.pipe(output);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? 0,
    logFile,
    isRunning: running,
    async stop() {
      if (!running()) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function fromLinnet(process: ControllerProcess): RunningController {
  return {
    pid: process.pid,
    logFile: process.logFile,
    isRunning: () => process.isRunning(),
    stop: () => process.stop(),
    metrics: () => process.metrics(),
  };
}

/** Linnet's work counters (Kubernetes writes by verb and resource, reconciles) from its /metrics text. */
function workCounters(metricsText: string): Map<string, number> {
  const counters = new Map<string, number>();
  for (const line of metricsText.split('\n')) {
    const match =
      /^(linnet_kube_writes_total|linnet_reconcile_total|linnet_reconcile_duration_seconds_sum)(?:\{([^}]*)\})? (\S+)$/.exec(
        line,
      );
    if (!match) continue;
    const labels = (match[2] ?? '').replace(/"/g, '');
    const name = match[1] === 'linnet_kube_writes_total' ? labels : `${match[1]} ${labels}`.trim();
    counters.set(name, Number(match[3]));
  }
  return counters;
}

function countersSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([name, value]) => [name, value - (before.get(name) ?? 0)]));
}

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---- measuring ----

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let index = 0; index < items.length; index += size)
    await Promise.all(items.slice(index, index + size).map(work));
}

async function waitFor(what: string, timeoutMs: number, probe: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) {
      log(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
      return false;
    }
    await delay(200);
  }
  return true;
}

/**
 * What the run's Canary versions show, kept up to date as the bench's watch delivers them: when each Canary's weight
 * rose while Progressing and when it first Succeeded. Incremental, so the bench stays idle while it waits: scanning
 * every recorded version for every Canary on each poll kept its event loop busy at 1,000 Canaries, which delayed the
 * answers of its webhook servers and the times it saw the steps at.
 */
class RunProgress {
  readonly risesMs = new Map<string, number[]>();
  /**
   * Linnet only: how long after its due time each step after the first was seen, the due time being the
   * status.nextCheckTime the previous step recorded (Flagger keeps no due time in its status).
   */
  readonly lateAfterDueMs = new Map<string, number[]>();
  /** Linnet only, per step after the first: from its due time until Linnet decided it (status.lastDecision.time). */
  readonly decidedAfterDueMs = new Map<string, number[]>();
  readonly succeededMs = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  private readonly dueMs = new Map<string, number>();

  record(version: RecordedVersion<CanaryObject>): void {
    const name = version.object.metadata?.name ?? '';
    const status = version.object.status;
    const weight = status?.canaryWeight ?? 0;
    const previousWeight = this.weights.get(name) ?? 0;
    if (status?.phase === 'Progressing' && weight > previousWeight) {
      this.risesMs.set(name, [...(this.risesMs.get(name) ?? []), version.seenAtMs]);
      const dueMs = this.dueMs.get(name);
      if (previousWeight > 0 && dueMs !== undefined) {
        this.lateAfterDueMs.set(name, [...(this.lateAfterDueMs.get(name) ?? []), version.seenAtMs - dueMs]);
        const decidedMs = Date.parse((status as { lastDecision?: { time?: string } }).lastDecision?.time ?? '');
        if (Number.isFinite(decidedMs)) {
          this.decidedAfterDueMs.set(name, [...(this.decidedAfterDueMs.get(name) ?? []), decidedMs - dueMs]);
        }
      }
    }
    const nextCheckTime = (status as { nextCheckTime?: string } | undefined)?.nextCheckTime;
    if (nextCheckTime === undefined) this.dueMs.delete(name);
    else this.dueMs.set(name, Date.parse(nextCheckTime));
    this.weights.set(name, weight);
    if (status?.phase === 'Succeeded' && !this.succeededMs.has(name)) this.succeededMs.set(name, version.seenAtMs);
  }
}

interface RunFigures {
  controller: ControllerName;
  /** Gap between consecutive weight rises minus the interval, every healthy step, ms. */
  driftsMs: number[];
  /** Linnet only: time from each healthy step's due time (status.nextCheckTime) until it was seen, ms. */
  lateAfterDueMs: number[];
  /** Linnet only: the part of it before Linnet decided the step (queue wait, the step's checks), ms. */
  decidedAfterDueMs: number[];
  healthy: number;
  healthySucceeded: number;
  /** From the trigger until the last healthy Canary succeeded (or the bench gave up). */
  runSeconds: number;
  cpuSeconds: number;
  initializedSeconds: number;
  /** Linnet's reconciles and Kubernetes writes during the run (empty for Flagger). */
  work: Map<string, number>;
  /** Set when not every healthy Canary succeeded within the budget: the run was cut off after this long. */
  cutOffSeconds?: number;
}

async function runController(
  controllerName: ControllerName,
  access: KubeAccess,
  env: { kubeconfig: string; prometheusUrl: string },
  endpoints: Endpoints,
  cleanUps: Array<() => Promise<void>>,
): Promise<RunFigures> {
  const namespace = `bench-iso-${controllerName}-${process.pid}`;
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
  let controller: RunningController | undefined;
  let recorder: ObjectRecorder<CanaryObject> | undefined;
  const cleanUp = async (): Promise<void> => {
    await recorder?.stop();
    await controller?.stop();
    await access.delete(resourceTypes.namespace, { name: namespace }).catch(() => undefined);
    log(`namespace ${namespace} deleted`);
  };
  cleanUps.push(cleanUp);
  try {
    controller =
      controllerName === 'linnet'
        ? fromLinnet(
            await startController({ label: 'bench-isolation', logLevel: 'info', namespace, extraFlags: linnetFlags }),
          )
        : await startFlagger(namespace, env.kubeconfig, env.prometheusUrl);
    log(`${controllerName} pid ${controller.pid}, log ${controller.logFile}`);
    recorder = await recordObjects({ access, type: e2eTypes.canary, namespace });
    const canaries = recorder;

    const names = Array.from({ length: canaryCount }, (_, index) => `app-${String(index).padStart(4, '0')}`);
    const kinds = new Map(names.map((name, index) => [name, kindOf(index)]));
    const healthy = names.filter((name) => kinds.get(name) === 'healthy');
    const setupStart = Date.now();
    await inBatches(names, 10, async (name) => {
      const kind = kinds.get(name) ?? 'healthy';
      await access.apply(e2eTypes.deployment, benchDeployment(namespace, name), { force: true });
      await access.apply(
        e2eTypes.canary,
        scenarioCanary({
          namespace,
          name,
          analysis: analysisFor(kind, endpoints),
          ...(kind === 'drip-prometheus' && { metricsServer: endpoints.dripPrometheus }),
          progressDeadlineSeconds: 3600,
          // No Canary here judges mesh traffic, so the testenv's mesh simulator sends none: at 1,000 Canaries its
          // traffic and Prometheus's scrapes of it took most of a core from the API server both controllers need.
          apexAnnotations: { 'sim.linnet.dev/rate': '0' },
        }),
        { force: true },
      );
    });
    log(`applied ${canaryCount} Deployments and Canaries (${canaryCount - healthy.length} stuck)`);
    const phase = (name: string): string => canaries.latest(name)?.status?.phase ?? '';
    const initialized = await waitFor(`all ${canaryCount} Canaries Initialized`, 120_000 + canaryCount * 2_000, () => {
      if (!controller?.isRunning()) throw new Error(`${controllerName} exited; see ${controller?.logFile}`);
      return names.every((name) => phase(name) === 'Initialized');
    });
    if (!initialized) throw new Error(`not every Canary was Initialized; see ${controller.logFile}`);
    const initializedSeconds = (Date.now() - setupStart) / 1000;
    log(`all Initialized after ${initializedSeconds.toFixed(1)} s; starting every run at once`);

    const triggeredAt = Date.now();
    const progress = new RunProgress();
    const stopTracking = canaries.onVersion((version) => progress.record(version));
    const cpuBefore = cpuSeconds(controller.pid);
    const workBefore = workCounters((await controller.metrics?.()) ?? '');
    await inBatches(names, 20, (name) =>
      access.mergePatch(
        e2eTypes.deployment,
        { namespace, name },
        { spec: { template: { metadata: { annotations: { 'bench.linnet.dev/run': String(triggeredAt) } } } } },
      ),
    );
    // A healthy run takes about (MAX_WEIGHT / STEP_WEIGHT + 4) intervals; stalls get four times that, plus set-up.
    const budgetMs = runBudgetMs ?? 4 * (MAX_WEIGHT / STEP_WEIGHT + 4) * intervalMs + canaryCount * 1_000;
    const healthyNames = new Set(healthy);
    const healthyDone = (): number => [...progress.succeededMs.keys()].filter((name) => healthyNames.has(name)).length;
    const finished = await waitFor('every healthy Canary to succeed', budgetMs, () => healthyDone() === healthy.length);
    stopTracking();
    const cpu = cpuSeconds(controller.pid) - cpuBefore;
    const work = countersSince(workBefore, workCounters((await controller.metrics?.()) ?? ''));
    if (work.size > 0) log(`work during the run: ${JSON.stringify(Object.fromEntries(work))}`);
    const finishedAt = Math.max(...healthy.map((name) => progress.succeededMs.get(name) ?? Date.now()));

    const driftsMs: number[] = [];
    const raw = names.map((name) => ({
      name,
      kind: kinds.get(name),
      risesMs: (progress.risesMs.get(name) ?? []).map((at) => at - triggeredAt),
      lateAfterDueMs: progress.lateAfterDueMs.get(name) ?? [],
      decidedAfterDueMs: progress.decidedAfterDueMs.get(name) ?? [],
    }));
    const lateAfterDueMs = healthy.flatMap((name) => progress.lateAfterDueMs.get(name) ?? []);
    const decidedAfterDueMs = healthy.flatMap((name) => progress.decidedAfterDueMs.get(name) ?? []);
    for (const { kind, risesMs } of raw) {
      if (kind !== 'healthy') continue;
      for (let index = 1; index < risesMs.length; index++) {
        driftsMs.push((risesMs[index] ?? 0) - (risesMs[index - 1] ?? 0) - intervalMs);
      }
    }
    mkdirSync(join(tmpdir(), 'linnet-bench'), { recursive: true });
    const rawFile = join(tmpdir(), 'linnet-bench', `isolation-${canaryCount}-${controllerName}-${triggeredAt}.json`);
    writeFileSync(rawFile, JSON.stringify(raw));
    log(`weight rises (ms after the change) of every Canary: ${rawFile}`);
    return {
      controller: controllerName,
      driftsMs,
      lateAfterDueMs,
      decidedAfterDueMs,
      healthy: healthy.length,
      healthySucceeded: healthyDone(),
      runSeconds: (finishedAt - triggeredAt) / 1000,
      cpuSeconds: cpu,
      initializedSeconds,
      work,
      ...(!finished && { cutOffSeconds: budgetMs / 1000 }),
    };
  } finally {
    cleanUps.splice(cleanUps.indexOf(cleanUp), 1);
    await cleanUp();
  }
}

// ---- report ----

function controllerLabel(name: ControllerName): string {
  return name === 'flagger' ? `Flagger ${FLAGGER_VERSION}` : 'Linnet';
}

/** Linnet's reconciles and Kubernetes writes over the run, in all and per Canary. */
function workLine(work: Map<string, number>): string {
  let reconciles = 0;
  const writes: Array<[string, number]> = [];
  for (const [name, value] of work) {
    if (name.startsWith('linnet_reconcile_total')) reconciles += value;
    else if (!name.startsWith('linnet_reconcile_duration') && value > 0) {
      const labels = Object.fromEntries(name.split(',').map((pair) => pair.split('=') as [string, string]));
      writes.push([`${labels.verb} ${(labels.resource ?? '').split('.')[0]}`, value]);
    }
  }
  const totalWrites = writes.reduce((sum, [, value]) => sum + value, 0);
  const busySeconds = work.get('linnet_reconcile_duration_seconds_sum') ?? 0;
  const perCanary = (value: number): string => (value / canaryCount).toFixed(1);
  return (
    `Linnet's work over the run: ${reconciles} reconciles (${perCanary(reconciles)} per Canary, ` +
    `${((busySeconds / Math.max(reconciles, 1)) * 1000).toFixed(0)} ms each on average), ${totalWrites} Kubernetes ` +
    `writes (${perCanary(totalWrites)} per Canary: ` +
    `${writes.map(([what, value]) => `${what} ${perCanary(value)}`).join(', ')}).`
  );
}

function report(figures: readonly RunFigures[]): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const rows = figures.map((run) => {
    const late = run.driftsMs.map((ms) => Math.max(0, ms));
    return {
      run,
      p50: percentile(late, 0.5),
      p99: percentile(late, 0.99),
      max: Math.max(...late),
    };
  });
  const flagger = rows.find((row) => row.run.controller === 'flagger');
  const linnet = rows.find((row) => row.run.controller === 'linnet');
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined ? '—' : `${Number((Math.max(a, 1) / Math.max(b, 1)).toPrecision(2))}×`;

  const commit = currentCommit();
  const machine = machineDescription();
  const stuck = canaryCount - (figures[0]?.healthy ?? 0);
  return [
    startMarker,
    `## isolation: ${canaryCount} canaries progressing at once, ${stuck} of them stuck` +
      (linnetFlags.length > 0 ? `, Linnet with ${linnetFlags.join(' ')}` : ''),
    '',
    `Produced by \`${command}\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit} (plus uncommitted work),`,
    `on the local cluster \`${clusterName}\`; ${machine}. 1-minute load average at the end:`,
    `${(loadavg()[0] ?? 0).toFixed(1)} (the machine is shared with other work, which slows every figure).`,
    `${canaryCount} Deployments (1 replica) with a Canary each (interval ${interval}, stepWeight ${STEP_WEIGHT},`,
    `maxWeight ${MAX_WEIGHT}), all started at once by one pod-template change each. Healthy Canaries have a rollout`,
    'webhook that answers 200 at once; of the stuck ones, half have a rollout webhook that accepts the connection and',
    'never answers (timeout 60s), half a builtin metric on a "Prometheus" that answers `vector(1)` but drips every',
    'other answer one byte a second. The Canaries need no mesh traffic: ' +
      (meshSimulator === 'off'
        ? 'the cluster runs without the mesh simulator (`testenv -- up --no-mesh-simulator`).'
        : `the mesh simulator (${meshSimulator}) sends them none (\`sim.linnet.dev/rate: 0\`).`),
    `Each controller runs with its defaults (Linnet: ${DEFAULT_WORKERS} workers, Flagger: 2` +
      (linnetFlags.length > 0 ? `; Linnet here with ${linnetFlags.map((item) => `\`${item}\``).join(' ')}` : '') +
      '), watching only',
    'its own namespace; Linnet first, then Flagger on a fresh namespace with the same Canaries.',
    '',
    '**Drift** is how late a healthy step came: the time between two consecutive weight changes of a Canary (as the',
    "bench's watch saw them) minus the interval, over every step after the first (early steps count as 0); the same",
    'measure for both controllers. **Late after due** (Linnet only, the goal) is stricter: from the due time Linnet',
    "recorded for the step (the previous step's `status.nextCheckTime`) until the bench saw the new weight, so it also",
    "counts the previous step's own writes. **CPU** is the controller process's user + system time from the change",
    'until the last healthy Canary succeeded.',
    '',
    '| controller | healthy canaries succeeded | steps measured | drift p50 | drift p99 | drift max | last healthy success after | CPU |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      ({ run, p50, p99, max }) =>
        `| ${controllerLabel(run.controller)} | ${run.healthySucceeded} / ${run.healthy} | ${run.driftsMs.length} | ${seconds(p50)} | ${seconds(p99)} | ${seconds(max)} | ${run.runSeconds.toFixed(1)} s | ${run.cpuSeconds.toFixed(1)} s (${(run.cpuSeconds / Math.max(run.runSeconds, 1)).toFixed(2)} cores) |`,
    ),
    '',
    ...figures
      .filter((run) => run.cutOffSeconds !== undefined)
      .map(
        (run) =>
          `${controllerLabel(run.controller)} was cut off after ${run.cutOffSeconds?.toFixed(0)} s with ` +
          `${run.healthySucceeded} of ${run.healthy} healthy Canaries done; its drift covers the steps made by then.`,
      ),
    ...figures
      .filter((run) => run.lateAfterDueMs.length > 0)
      .map((run) => {
        const summary = (values: readonly number[]): string => {
          const late = values.map((ms) => Math.max(0, ms));
          return (
            `p50 ${seconds(percentile(late, 0.5))}, p90 ${seconds(percentile(late, 0.9))}, ` +
            `p99 ${seconds(percentile(late, 0.99))}, max ${seconds(Math.max(...late))}`
          );
        };
        return (
          `${controllerLabel(run.controller)}, **late after due** over ${run.lateAfterDueMs.length} steps: ` +
          `${summary(run.lateAfterDueMs)}. Of that, until the step was decided (queue wait and the step's ` +
          `checks; \`status.lastDecision.time\`): ${summary(run.decidedAfterDueMs)}; the rest is writing the ` +
          'VirtualService and the status, and the watch bringing the status to the bench.'
        );
      }),
    ...figures.filter((run) => run.work.size > 0).map((run) => workLine(run.work)),
    '',
    flagger && linnet
      ? `Flagger / Linnet: drift p50 ${ratio(flagger.p50, linnet.p50)}, drift p99 ${ratio(flagger.p99, linnet.p99)}, ` +
        `CPU ${ratio(flagger.run.cpuSeconds * 1000, linnet.run.cpuSeconds * 1000)} (drift ratios floor each side at 1 ms). ` +
        'Goal: Linnet p99 late after due ≤ 1 s.'
      : 'Only one controller ran, so there is no ratio.',
    endMarker,
  ].join('\n');
}

// ---- main ----

async function main(): Promise<void> {
  const state = readClusterState(clusterName);
  if (!state || !(await checkClusterHealth(state)).healthy) {
    throw new Error(`cluster "${clusterName}" is not running and healthy; start it with npm run testenv -- up`);
  }
  if (state.meshSimulator === 'enabled') {
    // It re-plans all its traffic on every change of any Service, Deployment or VirtualService: at 1,000 Canaries
    // that took half a core from the API server both controllers need, for Canaries that judge no traffic.
    log(`the mesh simulator runs on "${clusterName}"; for figures, use a cluster started with --no-mesh-simulator`);
  }
  meshSimulator = state.meshSimulator;
  const { KUBECONFIG: kubeconfig, PROMETHEUS_URL: prometheusUrl } = state.env;
  process.env.KUBECONFIG = kubeconfig;
  process.env.PROMETHEUS_URL = prometheusUrl;
  process.env.MESH_SIMULATOR_URL = state.env.MESH_SIMULATOR_URL;
  if (controllers.includes('flagger')) ensureFlagger(log);

  const access = createKubeAccess({ kubeconfig, fieldManager: 'linnet-bench' });
  const cleanUps: Array<() => Promise<void>> = [];
  const cleanUpAll = async (): Promise<void> => {
    for (const cleanUp of cleanUps.splice(0)) await cleanUp();
    await closeLoopbackServers();
    // Finishes once the namespaces' Services are gone.
    await access.delete(serviceCidrType, { name: EXTRA_SERVICE_CIDR }).catch(() => undefined);
    await access.delete(nodeType, { name: BENCH_NODE }).catch(() => undefined);
    log(`ServiceCIDR ${EXTRA_SERVICE_CIDR} and node ${BENCH_NODE} deleted`);
  };
  const interrupted = (): void => {
    log('interrupted: cleaning up');
    void cleanUpAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const figures: RunFigures[] = [];
  try {
    await access.apply(serviceCidrType, { metadata: { name: EXTRA_SERVICE_CIDR }, spec: { cidrs: ['10.0.32.0/19'] } });
    await access.create(nodeType, benchNode());
    const [fast, hanging, drip] = await Promise.all([
      startLoopbackServer(answer(200, 'ok'), { path: '/rollout' }),
      startLoopbackServer(neverAnswer, { path: '/rollout' }),
      startLoopbackServer(dripPrometheus, { path: '' }),
    ]);
    const endpoints: Endpoints = { fastHook: fast.url, hangingHook: hanging.url, dripPrometheus: drip.url };
    for (const name of controllers) {
      log(`---- ${name}`);
      figures.push(await runController(name, access, { kubeconfig, prometheusUrl }, endpoints, cleanUps));
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUpAll();
  }

  const section = report(figures);
  if (writeDocs) {
    writeBenchmarkSection(startMarker, endMarker, section);
    log(`updated ${benchmarksFile}`);
  }
  process.stdout.write(`${section}\n`);
}

await main();
