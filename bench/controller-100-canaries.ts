// Controller benchmark with many Canaries on the local cluster (packages/testenv), recorded in the controller section
// of docs/benchmarks.md:
//   (a) reaction time: from a Deployment change (the PATCH of its pod template) to the Canary's status saying
//       Progressing, as a watch sees it; median and p90 over --changes changes, one Canary at a time.
//   (b) API cost of idle Canaries: requests counted by kube-apiserver itself (apiserver_request_total on its
//       /metrics, read with the admin client certificate) over an idle window with the controller running, minus the
//       same window with the controller stopped, per Canary and minute.
//
//   npx node bench/controller-100-canaries.ts [--canaries 100] [--changes 20] [--window 180] [--gap-ms 2000]
//                                             [--cluster bench-controller] [--no-docs]
//
// By default it runs on its own cluster ("bench-controller"; started and stopped by the bench unless it is already
// running) so that nobody else's requests are counted. Three Services per Canary do not fit the testenv's /24 Service
// range, so the bench adds a ServiceCIDR (10.0.4.0/22) while it runs. --cluster current uses the shared cluster
// instead (the controller then watches only the bench namespace; other users' requests add noise to (b)). The
// namespace and the ServiceCIDR are deleted at the end, also on SIGINT/SIGTERM.
import { KubeConfig } from '@kubernetes/client-node';
import { request } from 'node:https';
import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { startController, type ControllerProcess } from '../packages/controller/test/e2e/support/controller-process.ts';
import { e2eTypes, type CanaryObject } from '../packages/controller/test/e2e/support/cluster-objects.ts';
import { recordObjects, type ObjectRecorder } from '../packages/controller/test/e2e/support/object-recorder.ts';
import { scenarioCanary, scenarioDeployment } from '../packages/controller/test/e2e/support/scenario-canaries.ts';
import { parsePrometheusText, type Sample } from '../packages/controller/test/e2e/support/scenario-probes.ts';
import {
  createKubeAccess,
  defineResourceType,
  resourceTypes,
  type KubeObject,
} from '../packages/controller/src/kube/index.ts';
import { startCluster, stopCluster } from '../packages/testenv/src/index.ts';
import { benchmarksFile, writeBenchmarkSection } from './support/benchmarks-doc.ts';
import { flag, integerFlag } from './support/command-line.ts';
import { currentCommit, machineDescription } from './support/run-context.ts';

// ---- command line ----

const canaryCount = integerFlag('canaries', 100);
const changeCount = Math.min(integerFlag('changes', 20), canaryCount);
const windowSeconds = integerFlag('window', 180);
const gapMs = integerFlag('gap-ms', 2_000);
const clusterName = flag('cluster') ?? 'bench-controller';
const writeDocs = !process.argv.includes('--no-docs');
const command = `npx node bench/controller-100-canaries.ts ${process.argv.slice(2).join(' ')}`.trim();

const startMarker = '<!-- controller-100-canaries:start -->';
const endMarker = '<!-- controller-100-canaries:end -->';

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const EXTRA_SERVICE_CIDR = 'linnet-bench-extra';
const serviceCidrType = defineResourceType<KubeObject & { spec?: { cidrs?: string[] } }>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'ServiceCIDR',
  plural: 'servicecidrs',
  namespaced: false,
});

// ---- kube-apiserver /metrics with the admin client certificate ----

interface ApiServerScrape {
  atMs: number;
  samples: Sample[];
}

async function scrapeApiServer(kubeconfig: string): Promise<ApiServerScrape> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const cluster = config.getCurrentCluster();
  const user = config.getCurrentUser();
  if (!cluster || !user) throw new Error(`${kubeconfig} has no current cluster/user`);
  const decode = (data: string | undefined): Buffer | undefined =>
    data === undefined ? undefined : Buffer.from(data, 'base64');
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${cluster.server}/metrics`,
      {
        ca: decode(cluster.caData),
        cert: decode(user.certData),
        key: decode(user.keyData),
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode === 200) resolve(text);
          else reject(new Error(`GET /metrics answered ${response.statusCode}: ${text.slice(0, 200)}`));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
  return {
    atMs: Date.now(),
    samples: parsePrometheusText(body).filter((sample) => sample.name === 'apiserver_request_total'),
  };
}

/** Requests per "VERB resource[/subresource]" between two scrapes. */
function requestDelta(before: ApiServerScrape, after: ApiServerScrape): Map<string, number> {
  const keyOf = (sample: Sample): string => {
    const verb = sample.labels.verb ?? '?';
    const { resource, subresource } = sample.labels;
    // Non-resource requests (discovery, /healthz) carry their path in the subresource label.
    if (!resource) return `${verb} ${subresource || '(non-resource)'}`;
    return `${verb} ${resource}${subresource ? `/${subresource}` : ''}`;
  };
  const sum = (scrape: ApiServerScrape): Map<string, number> => {
    const totals = new Map<string, number>();
    for (const sample of scrape.samples) totals.set(keyOf(sample), (totals.get(keyOf(sample)) ?? 0) + sample.value);
    return totals;
  };
  const start = sum(before);
  const end = sum(after);
  const delta = new Map<string, number>();
  for (const [key, value] of end) delta.set(key, value - (start.get(key) ?? 0));
  return delta;
}

// ---- helpers ----

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let index = 0; index < items.length; index += size)
    await Promise.all(items.slice(index, index + size).map(work));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(25);
  }
}

function phaseOf(recorder: ObjectRecorder<CanaryObject>, name: string): string {
  return recorder.latest(name)?.status?.phase ?? '';
}

function phaseCounts(recorder: ObjectRecorder<CanaryObject>, names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(phaseOf(recorder, name), (counts.get(phaseOf(recorder, name)) ?? 0) + 1);
  return [...counts].map(([phase, count]) => `${phase || '(none)'} ${count}`).join(', ');
}

async function controllerReconciles(controller: ControllerProcess): Promise<number> {
  const samples = parsePrometheusText(await controller.metrics());
  return samples.filter((s) => s.name === 'linnet_reconcile_total').reduce((sum, s) => sum + s.value, 0);
}

// ---- the benchmark ----

interface Results {
  setupSeconds: number;
  latenciesMs: number[];
  withController: Map<string, number>;
  baseline: Map<string, number>;
  withWindowSeconds: number;
  baselineWindowSeconds: number;
  reconcilesInWindow: number;
  /** No Canary changed during the window with the controller. */
  idle: boolean;
}

async function run(kubeconfig: string, namespaceScoped: boolean): Promise<Results> {
  const access = createKubeAccess({ kubeconfig, fieldManager: 'linnet-bench' });
  const namespace = `bench-ctl-${process.pid}`;
  // Three Services per Canary do not fit the testenv's 10.0.0.0/24 Service range: add a ServiceCIDR.
  await access.apply(serviceCidrType, {
    metadata: { name: EXTRA_SERVICE_CIDR },
    spec: { cidrs: ['10.0.4.0/22'] },
  });
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
  let controller: ControllerProcess | undefined;
  let recorder: ObjectRecorder<CanaryObject> | undefined;
  const cleanUp = async (): Promise<void> => {
    await recorder?.stop();
    await controller?.stop();
    await access.delete(resourceTypes.namespace, { name: namespace }).catch(() => undefined);
    // Finishes once the namespace's Services are gone.
    await access.delete(serviceCidrType, { name: EXTRA_SERVICE_CIDR }).catch(() => undefined);
    log(`namespace ${namespace} and ServiceCIDR ${EXTRA_SERVICE_CIDR} deleted`);
  };
  const interrupted = (): void => {
    log('interrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    controller = await startController({
      label: 'bench',
      logLevel: 'info',
      ...(namespaceScoped && { namespace }),
    });
    log(`controller pid ${controller.pid}, log ${controller.logFile}`);
    recorder = await recordObjects({ access, type: e2eTypes.canary, namespace });
    const canaries = recorder;

    const names = Array.from({ length: canaryCount }, (_, index) => `app-${String(index).padStart(3, '0')}`);
    const setupStart = Date.now();
    await inBatches(names, 10, async (name) => {
      await access.apply(e2eTypes.deployment, scenarioDeployment({ namespace, name }), { force: true });
      await access.apply(
        e2eTypes.canary,
        scenarioCanary({
          namespace,
          name,
          analysis: { interval: '10s', threshold: 1, stepWeight: 50, maxWeight: 50, metrics: [] },
        }),
        { force: true },
      );
    });
    log(`applied ${canaryCount} Deployments and Canaries`);
    await waitFor(`all ${canaryCount} Canaries Initialized`, 600_000, () =>
      names.every((name) => phaseOf(canaries, name) === 'Initialized') ? true : undefined,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${phaseCounts(canaries, names)}`);
    });
    const setupSeconds = (Date.now() - setupStart) / 1000;
    log(`all Initialized after ${setupSeconds.toFixed(1)} s`);

    // (a) reaction time, one change at a time, on Canaries spread over the set.
    const latenciesMs: number[] = [];
    for (let index = 0; index < changeCount; index++) {
      const name = names[Math.floor((index * canaryCount) / changeCount)] ?? '';
      const changedAt = Date.now();
      await access.mergePatch(
        e2eTypes.deployment,
        { namespace, name },
        { spec: { template: { metadata: { annotations: { 'bench.linnet.dev/change': String(changedAt) } } } } },
      );
      const seen = await waitFor(`${name} Progressing`, 60_000, () =>
        canaries.versions.find(
          (version) =>
            version.seenAtMs >= changedAt &&
            version.object.metadata?.name === name &&
            version.object.status?.phase === 'Progressing',
        ),
      );
      latenciesMs.push(seen.seenAtMs - changedAt);
      log(`change ${index + 1}/${changeCount} (${name}): Progressing after ${seen.seenAtMs - changedAt} ms`);
      await delay(gapMs);
    }

    // Idle: every run over and nothing written to any Canary for a while.
    await waitFor('every run to end', 600_000, () =>
      names.every((name) => ['Succeeded', 'Initialized'].includes(phaseOf(canaries, name))) ? true : undefined,
    );
    await waitFor('15 s without Canary writes', 120_000, () =>
      Date.now() - (canaries.versions.at(-1)?.seenAtMs ?? 0) > 15_000 ? true : undefined,
    );

    // (b) idle window with the controller, then the same window without it. The bench's own watch stops first;
    // each window is bracketed by the same two requests (a scrape and a Canary list), so they cancel out.
    await recorder.stop();
    recorder = undefined;
    const canaryVersions = async (): Promise<string> =>
      (await access.list(e2eTypes.canary, { namespace })).items
        .map((canary) => `${canary.metadata?.name ?? ''}@${canary.metadata?.resourceVersion ?? ''}`)
        .sort()
        .join(',');
    log(`idle window with the controller: ${windowSeconds} s`);
    const reconcilesBefore = await controllerReconciles(controller);
    const withStart = await scrapeApiServer(kubeconfig);
    const versionsAtStart = await canaryVersions();
    await delay(windowSeconds * 1000);
    const versionsAtEnd = await canaryVersions();
    const withEnd = await scrapeApiServer(kubeconfig);
    const reconcilesInWindow = (await controllerReconciles(controller)) - reconcilesBefore;
    const idle = versionsAtStart === versionsAtEnd;

    await controller.stop();
    log(`controller stopped; baseline window: ${windowSeconds} s`);
    await delay(5_000);
    const baseStart = await scrapeApiServer(kubeconfig);
    await canaryVersions();
    await delay(windowSeconds * 1000);
    await canaryVersions();
    const baseEnd = await scrapeApiServer(kubeconfig);

    return {
      setupSeconds,
      latenciesMs,
      withController: requestDelta(withStart, withEnd),
      baseline: requestDelta(baseStart, baseEnd),
      withWindowSeconds: (withEnd.atMs - withStart.atMs) / 1000,
      baselineWindowSeconds: (baseEnd.atMs - baseStart.atMs) / 1000,
      reconcilesInWindow,
      idle,
    };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

function report(results: Results): string {
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const median = percentile(results.latenciesMs, 0.5);
  const p90 = percentile(results.latenciesMs, 0.9);
  const sorted = [...results.latenciesMs].sort((a, b) => a - b);
  const perMinute = (count: number, seconds: number): number => (count * 60) / seconds;
  const isWatch = (key: string): boolean => key.startsWith('WATCH ');
  const rate = (delta: Map<string, number>, seconds: number, watches: boolean): number =>
    perMinute(
      [...delta].filter(([key]) => isWatch(key) === watches).reduce((sum, [, count]) => sum + count, 0),
      seconds,
    );
  const count = (delta: Map<string, number>, watches: boolean): number =>
    [...delta].filter(([key]) => isWatch(key) === watches).reduce((sum, [, value]) => sum + value, 0);
  const w = results.withWindowSeconds;
  const b = results.baselineWindowSeconds;
  const requestRate = { with: rate(results.withController, w, false), base: rate(results.baseline, b, false) };
  const watchRate = { with: rate(results.withController, w, true), base: rate(results.baseline, b, true) };
  const perCanary = (requestRate.with - requestRate.base) / canaryCount;
  const perCanaryAll = (requestRate.with + watchRate.with - requestRate.base - watchRate.base) / canaryCount;

  const keys = new Set([...results.withController.keys(), ...results.baseline.keys()]);
  const differing = [...keys]
    .filter((key) => !isWatch(key))
    .map((key) => ({ key, with: results.withController.get(key) ?? 0, base: results.baseline.get(key) ?? 0 }))
    .filter((row) => row.with !== row.base)
    .sort((x, y) => y.with - y.base - (x.with - x.base) || x.key.localeCompare(y.key));

  const commit = currentCommit();
  const machine = machineDescription();
  return [
    startMarker,
    `## controller: ${canaryCount} canaries`,
    '',
    `Produced by \`${command}\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit} (plus uncommitted work),`,
    `on the local cluster \`${clusterName}\`; ${machine}. 1-minute load average at the end:`,
    `${(loadavg()[0] ?? 0).toFixed(1)} (the machine is shared with other work, which slows every figure).`,
    `${canaryCount} Deployments (1 replica) with a Canary each (interval 10s, stepWeight 50, maxWeight 50, no metrics or`,
    'webhooks) and one controller process (`node packages/controller/src/main.ts`, 2 workers, log level info).',
    `Setup: all ${canaryCount} Canaries were Initialized ${results.setupSeconds.toFixed(1)} s after the first apply.`,
    '',
    '**(a) Deployment change → phase Progressing.** Time from just before the PATCH of a pod template to the watch',
    `event that carries \`status.phase: Progressing\`. One change every ${gapMs / 1000} s, on`,
    `${results.latenciesMs.length} different Canaries, while the earlier runs go on.`,
    `**Median ${ms(median)}, p90 ${ms(p90)}** (min ${ms(sorted[0] ?? Number.NaN)}, max ${ms(sorted.at(-1) ?? Number.NaN)});`,
    'goal ≤ 1 s. Flagger notices a change only on the next tick of the Canary: up to one analysis interval (10 s',
    'here, 1 min by default), plus up to 10 s for a new Canary.',
    `All samples, in order (ms): ${results.latenciesMs.map((value) => Math.round(value)).join(', ')}.`,
    '',
    '**(b) API requests per idle canary per minute.** `apiserver_request_total` from kube-apiserver (all verbs,',
    `resources and codes), counted over ${w.toFixed(0)} s with the controller running and every Canary idle`,
    `(${results.idle ? 'no Canary changed in the window' : 'SOME CANARY CHANGED IN THE WINDOW'}; the controller ran`,
    `${results.reconcilesInWindow} reconciles, from its informers' 30 s resync), minus the same count over`,
    `${b.toFixed(0)} s with the controller stopped. WATCH requests are counted apart: the apiserver counts a watch`,
    'when it ends, and every component (controller-manager, scheduler, kwok, mesh simulator, the controller) renews',
    'each of its watches every 5–10 min, one per resource type whatever the number of objects, so within a few',
    'minutes their count is mostly the phase of those timers.',
    '',
    '| window | requests other than WATCH | WATCH requests ended |',
    '|---|---|---|',
    `| controller running | ${count(results.withController, false)} (${requestRate.with.toFixed(1)}/min) | ${count(results.withController, true)} (${watchRate.with.toFixed(1)}/min) |`,
    `| controller stopped | ${count(results.baseline, false)} (${requestRate.base.toFixed(1)}/min) | ${count(results.baseline, true)} (${watchRate.base.toFixed(1)}/min) |`,
    '',
    differing.length > 0
      ? `Non-WATCH requests whose count differs (running / stopped): ${differing.map((row) => `${row.key} ${row.with} / ${row.base}`).join('; ')}.`
      : 'Every kind of non-WATCH request was counted the same number of times in both windows.',
    '',
    `**${perCanary.toFixed(3)} requests per idle canary per minute** (the difference of the non-WATCH rates ÷`,
    `${canaryCount}; ${perCanaryAll.toFixed(3)} with the WATCH counts included). ${results.reconcilesInWindow} reconciles`,
    'of idle Canaries caused no request: the controller reads informer caches and writes only when something',
    'changes, so the remaining difference is the other components’ own traffic (node and leader leases,',
    'controller-manager resyncs). Flagger GETs every Canary (and, per tick, its workloads, Services and routes)',
    'from the API on every tick of every Canary.',
    endMarker,
  ].join('\n');
}

async function main(): Promise<void> {
  const cluster = await startCluster({ name: clusterName, reuse: true });
  log(`cluster ${cluster.name} ${cluster.reused ? 'reused' : 'started'}`);
  process.env.KUBECONFIG = cluster.env.KUBECONFIG;
  process.env.PROMETHEUS_URL = cluster.env.PROMETHEUS_URL;
  process.env.MESH_SIMULATOR_URL = cluster.env.MESH_SIMULATOR_URL;
  let results: Results;
  try {
    results = await run(cluster.env.KUBECONFIG, clusterName === 'current');
  } finally {
    if (!cluster.reused) {
      await stopCluster(cluster.name);
      log(`cluster ${cluster.name} stopped`);
    }
  }
  const section = report(results);
  if (writeDocs) {
    writeBenchmarkSection(startMarker, endMarker, section);
    log(`updated ${benchmarksFile}`);
  }
  process.stdout.write(`${section}\n`);
}

await main();
