import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveAnalysisIntervalMs, type Canary, type CanaryAnalysis } from '@linnet/api';
import { startCluster } from '../cluster.ts';
import { builtImageArchives, exposeToRealNode, loadRealNodeImages, realNodeName } from '../real-node/real-node.ts';
import type { ClusterState } from '../state.ts';
import { binaryPaths } from '../versions.ts';
import { cacheDir, repoRoot } from '../paths.ts';
import { waitFor, WaitTimeoutError } from '../wait.ts';
import { AnnotationAct } from './annotation-act.ts';
import { canaryRow, formatDuration, formatRow, rowChanged, ROW_HEADER, type CanaryRow } from './canary-rows.ts';
import { DEMO_FIELD_MANAGER, DemoKube, type CanaryEvent } from './demo-kube.ts';
import { demoControllerContainer } from './demo-container.ts';
import { DemoKubectl, linnetPluginDir } from './demo-kubectl.ts';
import { DEMO_USAGE, parseDemoOptions, type DemoOptions } from './demo-options.ts';
import {
  logTail,
  startDemoProcess,
  stopDemoProcess,
  stopRecordedProcesses,
  waitForPortLine,
  writeProcessRecord,
  type DemoProcess,
} from './demo-processes.ts';
import {
  DEMO_NAMESPACE_LABEL,
  formatSeedManifests,
  labelDemoNamespace,
  parseSeedManifests,
  rewriteLoadTesterUrls,
  type SeedObject,
} from './seed-manifests.ts';

/**
 * `npm run demo`: the seed walkthrough (Kurator's Istio canary guide, reproduced by examples/rollout) end to end.
 *
 *   1. the local cluster (testenv: control plane, Prometheus, mesh simulator), built on the first run, else reused
 *   2. the test loader and the controller as child processes, logging to ~/.cache/linnet/demo/<run>/
 *   3. examples/rollout-local (the local cluster's fast settings; examples/rollout on a cluster of yours) rendered
 *      and applied with kubectl, the rollout webhook pointed at the local test loader (there is no cluster DNS)
 *   4. initialisation, a new version promoted (`kubectl set image`), a bad version rolled back — the Canary's rows
 *      as they change, and what `kubectl get canary -w` printed
 *   5. `kubectl describe canary` and `kubectl linnet get canaries` (the CLI as a kubectl plugin), then a summary;
 *      exit 0 only if each run ended as expected within its deadline
 *
 * See docs/getting-started.md and docs/istio-canary.md.
 */

/** The walkthrough for a real cluster, and its overlay with the local cluster's fast intervals. */
const EXAMPLE_DIRS = { external: 'examples/rollout', local: 'examples/rollout-local' } as const;
const REAL_NODE_EXAMPLE_DIR = 'examples/rollout-real-node';
const TESTLOADER_MAIN = join(repoRoot, 'packages', 'testloader', 'src', 'main.ts');
const CONTROLLER_MAIN = join(repoRoot, 'packages', 'controller', 'src', 'main.ts');
/** The example's rollout webhook goes to the per-workload test loader Kurator deploys (`testLoader: true`). */
const IN_CLUSTER_TEST_LOADER = 'http://backend-testloader.webapp:8080/';
const NEW_VERSION_TAG = '6.0.1';
const BAD_VERSION_TAG = '6.0.2';
const BAD_VERSION_ERROR_RATE = '0.2';
/** The seed's Flagger run: Progressing at 09:01:40, Succeeded at 09:15:10, 90 s intervals. */
const SEED_RUN_MS = (13 * 60 + 30) * 1000;
/** Keep the logs of this many demo runs. */
const KEPT_RUNS = 5;

type Outcome = 'Initialized' | 'Succeeded' | 'Failed' | 'Removed';

interface StepResult {
  readonly title: string;
  readonly expected: Outcome;
  readonly outcome: string;
  readonly ok: boolean;
  /** From the action (apply, patch) to the terminal row. */
  readonly durationMs: number;
  /** From the action to the first Progressing row (runs only). */
  readonly reactionMs: number | undefined;
  readonly rows: readonly CanaryRow[];
}

class Output {
  private readonly file: string;
  constructor(file: string) {
    this.file = file;
  }
  line(text = ''): void {
    process.stdout.write(`${text}\n`);
    appendFileSync(this.file, `${text}\n`);
  }
}

/** Rows of one Canary from a watch, printed as they change; steps wait on them. */
class CanaryRows {
  readonly all: CanaryRow[] = [];
  private listeners = new Set<() => void>();
  private since = Date.now();
  private readonly output: Output;
  latest: Canary | undefined;

  constructor(output: Output) {
    this.output = output;
  }

  /** Starts a new table: the header, and SEEN counted from now. */
  section(sinceMs: number): void {
    this.since = sinceMs;
    this.output.line(ROW_HEADER);
  }

  observe(canary: Canary): void {
    this.latest = canary;
    const row = canaryRow(canary, Date.now());
    if (!rowChanged(this.all.at(-1), row)) return;
    this.all.push(row);
    this.output.line(formatRow(row, this.since));
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first row from index `from` on that `pick` returns, or rejects at the deadline / on `abort`. */
  waitForRow(
    what: string,
    from: number,
    pick: (rows: readonly CanaryRow[]) => CanaryRow | undefined,
    timeoutMs: number,
    abort: Promise<string>,
  ): Promise<CanaryRow> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = pick(this.all.slice(from));
        if (found) finish(() => resolve(found));
      };
      const timer = setTimeout(() => {
        const last = this.all.at(-1);
        finish(() =>
          reject(
            new WaitTimeoutError(
              what,
              timeoutMs,
              last ? `last row: ${last.status} ${last.weight} — ${last.decision}` : 'no status yet',
            ),
          ),
        );
      }, timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      abort.then((reason) => finish(() => reject(new Error(reason))));
      this.listeners.add(check);
      check();
    });
  }
}

export async function runDemo(args: readonly string[]): Promise<number> {
  const parsed = parseDemoOptions(args);
  if (!parsed.ok) {
    process.stderr.write(`demo: ${parsed.error}\n\n${DEMO_USAGE}`);
    return 2;
  }
  const options = parsed.options;
  if (options.help) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  const demoDir = join(cacheDir(), 'demo');
  const recordFile = join(demoDir, 'processes.json');
  if (options.stopOnly) {
    const stopped = await stopRecordedProcesses(recordFile);
    process.stdout.write(stopped.length ? `stopped ${stopped.join(', ')}\n` : 'no demo processes were running\n');
    return 0;
  }

  const runDir = join(demoDir, new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(runDir, { recursive: true });
  pruneOldRuns(demoDir, KEPT_RUNS);
  const output = new Output(join(runDir, 'demo.txt'));
  const children: DemoProcess[] = [];
  /** Run once the children have stopped (the controller container's bundle). */
  const afterStop: (() => void)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = (keep: boolean): Promise<void> =>
    (cleaning ??= (async () => {
      if (keep) {
        for (const child of children) child.detach();
        return;
      }
      for (const child of [...children].reverse()) await stopDemoProcess(child);
      for (const step of afterStop) step();
      rmSync(recordFile, { force: true });
    })());
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = true;
    output.line(`\n${signal}: stopping${options.keep ? '' : ' the controller and the test loader'}…`);
    cleanup(options.keep).then(
      () => process.exit(130),
      () => process.exit(130),
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const ok = await demo(options, output, runDir, recordFile, children, afterStop);
    await cleanup(options.keep);
    finalWords(options, output, children, runDir);
    return ok ? 0 : 1;
  } catch (error) {
    if (interrupted) {
      await cleanup(options.keep);
      return 130;
    }
    output.line(`\ndemo failed: ${(error as Error).message}`);
    for (const child of children) output.line(`  ${child.name} log: ${child.logFile}`);
    await cleanup(options.keep);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function demo(
  options: DemoOptions,
  out: Output,
  runDir: string,
  recordFile: string,
  children: DemoProcess[],
  afterStop: (() => void)[],
): Promise<boolean> {
  const demoStart = Date.now();
  out.line('Linnet demo: the seed walkthrough (examples/rollout) — webapp/backend, Istio canary, Prometheus checks');
  out.line(`run dir: ${runDir}`);
  const leftovers = await stopRecordedProcesses(recordFile);
  if (leftovers.length) out.line(`stopped what an earlier demo left running: ${leftovers.join(', ')}`);

  // 1. The cluster.
  let kubeconfig: string | undefined;
  let prometheusUrl: string | undefined;
  let meshSimulatorUrl: string | undefined;
  let clusterState: ClusterState | undefined;
  const clusterStart = Date.now();
  if (options.mode === 'local') {
    out.line(
      `\n▸ local cluster "${options.clusterName}" (built into ${cacheDir()} on the first run, ≈ 20 min; reused afterwards)`,
    );
    const cluster = await startCluster({
      name: options.clusterName,
      realNode: options.realNode,
      log: (line) => out.line(`  [testenv] ${line}`),
    });
    if (options.realNode && !cluster.state.realNode) {
      throw new Error(
        `cluster "${options.clusterName}" runs without a real node; use another --cluster-name, or ` +
          `npm run testenv -- down --name ${options.clusterName}`,
      );
    }
    clusterState = cluster.state;
    kubeconfig = cluster.env.KUBECONFIG;
    prometheusUrl = cluster.env.PROMETHEUS_URL;
    meshSimulatorUrl = cluster.env.MESH_SIMULATOR_URL;
    if (cluster.state.meshSimulator !== 'enabled') {
      throw new Error(
        'the local cluster runs without the mesh simulator; restart it: npm run testenv -- up --no-reuse',
      );
    }
    out.line(
      `  ${cluster.reused ? 'reused' : 'started'} in ${formatDuration(Date.now() - clusterStart)}: ` +
        `KUBECONFIG=${kubeconfig} PROMETHEUS_URL=${prometheusUrl} MESH_SIMULATOR_URL=${meshSimulatorUrl}`,
    );
  } else {
    kubeconfig = options.kubeconfig ?? process.env.KUBECONFIG;
    prometheusUrl = options.metricsServer;
  }
  const clusterMs = Date.now() - clusterStart;
  const kube = new DemoKube(kubeconfig);
  if (options.mode === 'external') out.line(`\n▸ your cluster: ${kube.server}`);
  await preflight(kube, options);
  const kubectl = new DemoKubectl({
    binary: kubectlBinary(options),
    kubeconfig,
    pluginDir: await linnetPluginDir(repoRoot, runDir),
  });
  out.line(`▸ kubectl: ${kubectl.binary} (${(await kubectl.run(['version', '--client'])).split('\n')[0]})`);
  if (options.realNode && clusterState) {
    const loadStart = Date.now();
    const images = await loadRealNodeImages(clusterState, builtImageArchives());
    out.line(`▸ real node ${realNodeName}: ${images.join(', ')} (loaded in ${formatDuration(Date.now() - loadStart)})`);
    out.line(
      '  kubectl apply --server-side -k deploy/   (unchanged: the controller and the shared test loader as pods)',
    );
    await kubectl.run(['apply', '--server-side', '-k', join(repoRoot, 'deploy')]);
    await kubectl.run(['rollout', 'status', '-n', 'linnet-system', 'deployment/linnet', '--timeout=180s']);
    out.line(
      `  ${(await kubectl.run(['get', 'pods', '-n', 'linnet-system', '-o', 'wide'])).trimEnd().split('\n').join('\n  ')}`,
    );
  }

  // 2. The example, from an empty namespace (before the controller starts, so that it does not act on the old one).
  const exampleDir = options.realNode ? REAL_NODE_EXAMPLE_DIR : EXAMPLE_DIRS[options.mode];
  let manifests = parseSeedManifests(await kubectl.run(['kustomize', join(repoRoot, exampleDir)]), exampleDir);
  const canary = manifests.find((object) => object.kind === 'Canary');
  const deployment = manifests.find((object) => object.kind === 'Deployment' && object.metadata.name === 'backend');
  if (!canary || !deployment) throw new Error(`${exampleDir} has no Canary or no Deployment backend`);
  const namespace = canary.metadata.namespace ?? 'webapp';
  const name = canary.metadata.name;
  const analysis = (canary.spec as { analysis?: CanaryAnalysis } | undefined)?.analysis;
  manifests = labelDemoNamespace(manifests, namespace);

  await resetNamespace(kube, namespace, options, out);
  // --annotations: the Deployment is annotated instead of the Canary applied (annotation-act.ts).
  const act = options.annotations
    ? await AnnotationAct.start({
        kube,
        kubectl,
        canary,
        testLoaderMain: TESTLOADER_MAIN,
        meshSimulatorUrl,
        runDir,
        line: (text) => out.line(text),
        adopt: (child) => {
          children.push(child);
          writeProcessRecord(recordFile, children);
        },
      })
    : undefined;
  if (act) manifests = act.manifests(manifests);

  // 3. Test loader and controller.
  const runLocalController = !options.realNode && (options.mode === 'local' || options.metricsServer !== undefined);
  let loadTesterUrl = options.loadTesterUrl;
  if (options.mode === 'local' && !act) {
    const testLoader = startDemoProcess({
      name: 'test loader',
      mainFile: TESTLOADER_MAIN,
      args: [
        '--port=0',
        '--address=127.0.0.1',
        `--mesh-simulator-url=${meshSimulatorUrl}`,
        `--namespace-regexp=^${namespace}$`,
      ],
      logFile: join(runDir, 'testloader.log'),
    });
    children.push(testLoader);
    writeProcessRecord(recordFile, children);
    const port = await waitForPortLine(
      testLoader,
      (line) => String(line.message).startsWith('Starting Linnet'),
      30_000,
    );
    loadTesterUrl = `http://127.0.0.1:${port}/`;
    out.line(`\n▸ test loader ${loadTesterUrl} (pid ${testLoader.pid}, log ${testLoader.logFile})`);
    if (options.realNode && clusterState) {
      // The controller's pod reaches it as a Service whose endpoint is the host (docs/testenv.md, "A real node").
      await kubectl.run(['create', 'namespace', namespace]);
      await exposeToRealNode(clusterState, { namespace, name: 'demo-testloader', port: 8080, hostPort: port });
      loadTesterUrl = `http://demo-testloader.${namespace}:8080/`;
      out.line(`  reached from the pods as ${loadTesterUrl} (a Service whose endpoint is this machine)`);
    }
    out.line(`  hey loads on cluster Services become mesh simulator load jobs (--mesh-simulator-url)`);
  }
  let controller: DemoProcess | undefined;
  if (runLocalController) {
    const image = options.controllerImage && kubeconfig ? demoControllerContainer(kubeconfig) : undefined;
    if (image) afterStop.push(() => image.remove());
    const controllerKubeconfig = image?.kubeconfig ?? kubeconfig;
    const controllerArgs = [
      ...(controllerKubeconfig ? [`-kubeconfig=${controllerKubeconfig}`] : []),
      `-metrics-server=${prometheusUrl}`,
      '-port=0',
      '-log-level=info',
      // The example's 5 s analysis interval is below Flagger's 10 s floor (docs/operations.md).
      '-min-analysis-interval=1s',
      // Only the demo's namespace: other Canaries on the cluster (tests, your own) are left alone.
      `-namespace=${namespace}`,
      ...(act?.controllerArgs() ?? []),
    ];
    const launch = image?.container.launch(controllerArgs);
    controller = startDemoProcess({
      name: 'controller',
      // With the image, the bundle path on runc's command line identifies the process for --stop.
      mainFile: image ? image.container.bundle : CONTROLLER_MAIN,
      args: controllerArgs,
      logFile: join(runDir, 'controller.log'),
      ...(launch && { command: { program: launch.command, args: launch.args } }),
      ...(act && { env: act.controllerEnv() }),
    });
    children.push(controller);
    writeProcessRecord(recordFile, children);
    const port = await waitForPortLine(controller, (line) => line.message === 'http server listening', 60_000);
    await waitFor(
      'the controller to be ready (/readyz)',
      async () => {
        if (controller?.hasExited()) throw new Error(`the controller exited:\n${logTail(controller.logFile)}`);
        const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, explainTimeout: () => logTail(controller?.logFile ?? '') },
    );
    out.line(`▸ controller ready on :${port} (pid ${controller.pid}, log ${controller.logFile})`);
    if (image) {
      out.line(
        `  image ${image.container.image} in a runc container: UID 65532, read-only root filesystem, ` +
          'no capabilities, no new privileges (docs/testenv.md#what-runs-where)',
      );
    }
    out.line(`  -metrics-server=${prometheusUrl} -min-analysis-interval=1s -namespace=${namespace}`);
  } else {
    out.line(
      options.realNode
        ? `▸ controller: deploy/ as installed above, a pod on ${realNodeName} (-metrics-server=http://prometheus.istio-system:9090)`
        : '▸ controller: the one installed in the cluster (no --metrics-server given)',
    );
  }
  const abort = controller
    ? controller.exited.then((how) => `the controller exited (${how})`)
    : new Promise<string>(() => {});

  if (loadTesterUrl) {
    const rewritten = rewriteLoadTesterUrls(manifests, IN_CLUSTER_TEST_LOADER, loadTesterUrl);
    manifests = rewritten.objects;
    for (const rewrite of rewritten.rewrites) {
      out.line(`▸ webhook ${rewrite.webhook}: ${rewrite.from} → ${rewrite.to}`);
      out.line(
        options.realNode
          ? "  (the example's own test loader pod runs on the node too; its load could not reach kwok's pods)"
          : options.mode === 'local'
            ? '  (the local cluster has no cluster DNS; examples/rollout keeps the in-cluster name for real clusters)'
            : '  (--load-tester-url)',
      );
    }
  }
  const intervalMs = effectiveAnalysisIntervalMs(analysis, runLocalController ? 1000 : 10_000);

  const rows = new CanaryRows(out);
  const watch = kube.watchCanary(namespace, name, (object) => rows.observe(object));
  const getWatch = join(runDir, 'kubectl-get-canary-w.txt');
  let kubectlWatch: ReturnType<DemoKubectl['follow']> | undefined;
  let printedWatchLines = 0;
  const printKubectlWatch = (): void => {
    const lines = (kubectlWatch?.output() ?? '').split('\n').filter((line) => line !== '');
    out.line(`   kubectl get canary -n ${namespace} -w printed:`);
    for (const line of lines.slice(printedWatchLines)) out.line(`     ${line}`);
    printedWatchLines = lines.length;
  };
  const results: StepResult[] = [];
  try {
    // Step 1: initialisation.
    out.line(`\n1. kubectl apply -k ${exampleDir}   (${manifests.map(describe).join(', ')})`);
    if (loadTesterUrl) {
      out.line(
        `   run as: kubectl kustomize ${exampleDir} | <webhook → ${loadTesterUrl}> | kubectl apply --server-side -f -`,
      );
    }
    let since = Date.now();
    rows.section(since);
    await kubectl.run(
      ['apply', '--server-side', `--field-manager=${DEMO_FIELD_MANAGER}`, '-f', '-'],
      formatSeedManifests(manifests),
    );
    if (act) await act.annotate();
    kubectlWatch = kubectl.follow(['get', 'canary', '-n', namespace, '-w'], getWatch);
    results.push(
      await step(rows, {
        title: 'initialization',
        expected: 'Initialized',
        since,
        needsProgressing: false,
        timeoutMs: 120_000,
        abort,
      }),
    );
    if (act && results.at(-1)?.ok) await act.runTestLoader();
    const stopIfUnexpected = async (sinceMs: number): Promise<boolean> => {
      if (results.at(-1)?.ok) return false;
      await explainFailure(kube, rows, namespace, name, sinceMs, out);
      out.line('   (the demo stops here: the run did not end as expected)');
      return true;
    };
    if (await stopIfUnexpected(since)) return summarize();

    // Step 2: a new version, promoted.
    const container = firstContainer(deployment);
    const newImage = withTag(container.image, NEW_VERSION_TAG);
    out.line(
      `\n2. new version: kubectl -n ${namespace} set image deployment/${deployment.metadata.name} ${container.name}=${newImage}`,
    );
    since = Date.now();
    rows.section(since);
    await kubectl.run([
      '-n',
      namespace,
      'set',
      'image',
      `deployment/${deployment.metadata.name}`,
      `${container.name}=${newImage}`,
    ]);
    const steps = Math.ceil((analysis?.maxWeight ?? 50) / (analysis?.stepWeight ?? 10));
    results.push(
      await step(rows, {
        title: `rollout ${NEW_VERSION_TAG}`,
        expected: 'Succeeded',
        since,
        needsProgressing: true,
        timeoutMs: (steps + 4) * intervalMs * 3 + 60_000,
        abort,
      }),
    );
    printKubectlWatch();
    if (await stopIfUnexpected(since)) return summarize();

    // Step 3: a bad version, rolled back.
    const badImage = withTag(container.image, BAD_VERSION_TAG);
    if (options.mode === 'external' && !loadTesterUrl) {
      out.line(
        `\n3. skipped: the bad version's errors come from the mesh simulator (sim.linnet.dev/error-rate); on a real ` +
          'mesh give --load-tester-url so that the demo can send error traffic (see docs/getting-started.md)',
      );
    } else {
      out.line(
        `\n3. bad version: ${container.name}=${badImage} with pod-template annotation ` +
          `sim.linnet.dev/error-rate: "${BAD_VERSION_ERROR_RATE}" (the simulated mesh answers 20 % of its requests with 500)`,
      );
      const patch = imagePatch(container.name, badImage, { 'sim.linnet.dev/error-rate': BAD_VERSION_ERROR_RATE });
      out.line(`   kubectl -n ${namespace} patch deployment ${deployment.metadata.name} -p '${patch}'`);
      since = Date.now();
      rows.section(since);
      await kubectl.run(['-n', namespace, 'patch', 'deployment', deployment.metadata.name, '-p', patch]);
      if (options.mode === 'external' && loadTesterUrl) await sendErrorLoad(loadTesterUrl, namespace, name, out);
      const threshold = (analysis as { threshold?: number } | undefined)?.threshold ?? 2;
      const result = await step(rows, {
        title: `rollback ${BAD_VERSION_TAG}`,
        expected: 'Failed',
        since,
        needsProgressing: true,
        timeoutMs: (threshold + 4) * intervalMs * 3 + 60_000,
        abort,
      });
      results.push(result);
      await explainFailure(kube, rows, namespace, name, since, out);
      printKubectlWatch();
    }
    await showWithKubectl(kubectl, out, [
      ['describe', 'canary', name, '-n', namespace],
      ['linnet', 'get', 'canaries', '-n', namespace],
    ]);
    if (act) {
      const optOut = await act.optOut();
      results.push({ title: 'opt-out', expected: 'Removed', ...optOut, reactionMs: undefined, rows: [] });
    }
  } finally {
    watch.stop();
    await kubectlWatch?.stop();
    await act?.stop();
  }
  return summarize();

  function summarize(): boolean {
    const totalMs = Date.now() - demoStart;
    out.line('\nsummary');
    out.line(
      `  cluster          ${formatDuration(clusterMs).padEnd(10)} ${options.mode === 'local' ? `local "${options.clusterName}"` : kube.server}`,
    );
    for (const result of results) {
      const reaction =
        result.reactionMs === undefined ? '' : `, Progressing after ${formatDuration(result.reactionMs)}`;
      const verdict = result.ok ? result.outcome : `${result.outcome} — expected ${result.expected}`;
      out.line(`  ${result.title.padEnd(16)} ${formatDuration(result.durationMs).padEnd(10)} ${verdict}${reaction}`);
    }
    const rollout = results.find((result) => result.expected === 'Succeeded');
    if (rollout?.ok) {
      const windows = [...new Set((analysis?.metrics ?? []).map((metric) => metric.interval))].join('/');
      out.line(
        `  (the seed's Flagger rollout took ${formatDuration(SEED_RUN_MS)} at 90 s intervals; this one ran at ` +
          `${intervalMs / 1000} s intervals with ${windows} metric windows)`,
      );
    }
    out.line(`  total            ${formatDuration(totalMs)}`);
    writeFileSync(
      join(runDir, 'summary.json'),
      `${JSON.stringify({ mode: options.mode, clusterMs, totalMs, intervalMs, results }, null, 2)}\n`,
    );
    return results.every((result) => result.ok);
  }
}

async function step(
  rows: CanaryRows,
  options: {
    title: string;
    expected: Outcome;
    since: number;
    needsProgressing: boolean;
    timeoutMs: number;
    abort: Promise<string>;
  },
): Promise<StepResult> {
  const from = rows.all.length;
  const terminal = new Set(['Initialized', 'Succeeded', 'Failed']);
  const end = await rows.waitForRow(
    `${options.title}: the Canary to reach ${options.expected}`,
    from,
    (seen) => {
      let started = !options.needsProgressing;
      for (const row of seen) {
        if (row.status === 'Progressing') started = true;
        else if (started && terminal.has(row.status)) return row;
      }
      return undefined;
    },
    options.timeoutMs,
    options.abort,
  );
  const stepRows = rows.all.slice(from);
  const progressing = stepRows.find((row) => row.status === 'Progressing');
  return {
    title: options.title,
    expected: options.expected,
    outcome: end.status,
    ok: end.status === options.expected,
    durationMs: end.seenAtMs - options.since,
    reactionMs: options.needsProgressing && progressing ? progressing.seenAtMs - options.since : undefined,
    rows: stepRows,
  };
}

/** Prints why the run failed: the last decision and the Canary's events of the run (they name metric and value). */
async function explainFailure(
  kube: DemoKube,
  rows: CanaryRows,
  namespace: string,
  name: string,
  sinceMs: number,
  out: Output,
): Promise<void> {
  const decision = rows.latest?.status?.lastDecision;
  if (decision) out.line(`   last decision (${decision.reason}): ${decision.message}`);
  const checks = rows.latest?.status?.lastChecks ?? [];
  for (const check of checks) {
    const range = [check.min === undefined ? '' : `min ${check.min}`, check.max === undefined ? '' : `max ${check.max}`]
      .filter(Boolean)
      .join(', ');
    out.line(
      `   check ${check.name}: ${check.value === undefined ? 'no value' : round(check.value)} (${range}) ` +
        `${check.passed ? 'passed' : 'FAILED'}`,
    );
  }
  // Events are published just after the status write: wait (bounded) for the rollback's.
  const isRollback = (event: CanaryEvent): boolean => /rolling back|canary failed/i.test(event.message);
  let events: CanaryEvent[] = [];
  try {
    events = await waitFor(
      'the rollback events',
      async () => {
        const found = (await kube.canaryEvents(namespace, name)).filter((event) => event.timeMs >= sinceMs);
        return found.some(isRollback) ? found : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
  } catch {
    events = (await kube.canaryEvents(namespace, name)).filter((event) => event.timeMs >= sinceMs);
  }
  out.line(`   events (kubectl -n ${namespace} events --for canary/${name}):`);
  for (const event of events) {
    out.line(`     ${event.type.padEnd(8)} ${event.reason.padEnd(22)} ${event.message}`);
  }
}

async function preflight(kube: DemoKube, options: DemoOptions): Promise<void> {
  const needs: [string, string, string, string][] = [
    ['flagger.app', 'v1beta1', 'canaries', "Linnet's CRDs: kubectl apply --server-side -k deploy/crds"],
    ['networking.istio.io', 'v1beta1', 'virtualservices', 'Istio (its CRDs and control plane)'],
  ];
  for (const [group, version, plural, install] of needs) {
    let served: boolean;
    try {
      served = await kube.serves(group, version, plural);
    } catch (error) {
      throw new Error(`cannot reach the cluster at ${kube.server}: ${(error as Error).message}`);
    }
    if (!served) {
      throw new Error(
        `${plural}.${group}/${version} is not served by ${kube.server}; install ${install}` +
          (options.mode === 'external' ? ' (docs/getting-started.md lists what the cluster needs)' : ''),
      );
    }
  }
}

async function resetNamespace(kube: DemoKube, namespace: string, options: DemoOptions, out: Output): Promise<void> {
  const existing = (await kube.read('v1', 'Namespace', namespace)) as
    { metadata?: { labels?: Record<string, string> } } | undefined;
  if (!existing) return;
  if (options.mode === 'external' && existing.metadata?.labels?.[DEMO_NAMESPACE_LABEL] !== 'true') {
    throw new Error(
      `namespace ${namespace} exists and was not created by the demo (no ${DEMO_NAMESPACE_LABEL} label); ` +
        'the demo starts from an empty namespace: delete it yourself, or use another cluster',
    );
  }
  const started = Date.now();
  out.line(`▸ deleting namespace ${namespace} left by an earlier run, to start from scratch…`);
  await kube.dropCanaryFinalizers(namespace);
  await kube.deleteNamespace(namespace, 120_000);
  out.line(`  gone after ${formatDuration(Date.now() - started)}`);
}

/** External mode: errors a real podinfo answers, sent from the test loader the way Flagger's tutorial does. */
async function sendErrorLoad(loadTesterUrl: string, namespace: string, name: string, out: Output): Promise<void> {
  const cmd = `hey -z 1m -q 5 -c 2 http://${name}-canary.${namespace}:9898/status/500`;
  const answer = await fetch(loadTesterUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, namespace, phase: 'Progressing', metadata: { type: 'cmd', cmd } }),
    signal: AbortSignal.timeout(10_000),
  }).then(
    (response) => `the test loader answered ${response.status}`,
    (error: unknown) => `could not reach the test loader: ${(error as Error).message}`,
  );
  out.line(`   error traffic: ${cmd} → ${answer}`);
}

function describe(object: SeedObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

function firstContainer(deployment: SeedObject): { name: string; image: string } {
  const spec = deployment.spec as { template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  const container = spec.template?.spec?.containers?.[0];
  if (!container?.name || !container.image) throw new Error('the example Deployment has no container with an image');
  return { name: container.name, image: container.image };
}

function withTag(image: string, tag: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return `${colon > slash ? image.slice(0, colon) : image}:${tag}`;
}

/** The strategic merge patch of `kubectl patch deployment`: a container image and pod-template annotations. */
function imagePatch(container: string, image: string, annotations: Record<string, string>): string {
  return JSON.stringify({
    spec: { template: { metadata: { annotations }, spec: { containers: [{ name: container, image }] } } },
  });
}

/** The kubectl testenv built (the apiserver's version); on a cluster of yours, that one if built, else yours. */
function kubectlBinary(options: DemoOptions): string {
  const built = binaryPaths().kubectl;
  return options.mode === 'local' || existsSync(built) ? built : 'kubectl';
}

/** Runs each command and prints it with its output, as the walkthrough shows them. */
async function showWithKubectl(kubectl: DemoKubectl, out: Output, commands: readonly string[][]): Promise<void> {
  for (const args of commands) {
    out.line(`\n$ kubectl ${args.join(' ')}`);
    for (const line of (await kubectl.run(args)).trimEnd().split('\n')) out.line(`  ${line}`);
  }
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function finalWords(options: DemoOptions, out: Output, children: readonly DemoProcess[], runDir: string): void {
  out.line('');
  if (options.keep && children.length) {
    out.line(`left running (--keep): ${children.map((child) => `${child.name} pid ${child.pid}`).join(', ')}`);
    out.line('  stop them with: npm run demo -- --stop');
  } else if (children.length) {
    out.line(`stopped the ${children.map((child) => child.name).join(' and the ')}`);
  }
  if (options.mode === 'local') {
    const down = options.clusterName === 'current' ? '' : ` --name ${options.clusterName}`;
    out.line(
      `the local cluster keeps running for the next demo or test run; remove it with: npm run testenv -- down${down}`,
    );
    out.line(
      `  its environment: eval "$(npm run -s testenv -- env${down})"; then e.g. npm run linnet -- describe canary backend -n webapp`,
    );
  }
  out.line(`logs and this transcript: ${runDir}`);
}

function pruneOldRuns(demoDir: string, keep: number): void {
  const runs = readdirSync(demoDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{4}-\d\d-\d\dT/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - keep))) {
    rmSync(join(demoDir, old), { recursive: true, force: true });
  }
}
