import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AdminClient } from './admin-client.ts';
import { apiserverUrl, startApiserver, waitForApiserver, waitForSystemNamespaces } from './apiserver.ts';
import { checkBinaries, ensureBinaries } from './build.ts';
import { withClusterLock } from './cluster-lock.ts';
import { startControllerManager, waitForControllerManager } from './controller-manager.ts';
import { installCrds, readIstioCrds, readLinnetCrds } from './crds.ts';
import { etcdUrl, startEtcd, waitForEtcd } from './etcd.ts';
import { goModuleDir } from './go-modules.ts';
import { probe } from './http.ts';
import { writeAdminKubeconfig } from './kubeconfig.ts';
import { createFakeNode, startKwok, waitForKwok } from './kwok.ts';
import { stderrLogger, type Logger } from './log.ts';
import {
  meshSimulatorAvailable,
  meshSimulatorUrl,
  startMeshSimulator,
  waitForMeshSimulator,
} from './mesh-simulator-process.ts';
import { cacheDir, linnetCrdDir, meshSimulatorMain, stateDir } from './paths.ts';
import { createPki } from './pki.ts';
import { allocatePorts } from './ports.ts';
import {
  isProcessAlive,
  isRecordedProcess,
  stopProcess,
  type ProcessRecord,
  type SpawnedProcess,
  type StopOutcome,
} from './processes.ts';
import { prometheusUrl, startPrometheus, waitForPrometheus } from './prometheus.ts';
import { createRunDir } from './run-dir.ts';
import { startScheduler, waitForScheduler } from './scheduler.ts';
import { runSmokeTest } from './smoke-test.ts';
import {
  defaultClusterName,
  portNames,
  readState,
  removeState,
  writeState,
  type ClusterEnv,
  type ClusterState,
} from './state.ts';
import { readVersions } from './versions.ts';

export interface StartClusterOptions {
  /** State file name under ~/.cache/linnet/run; use a distinct name for a second, independent cluster. */
  name?: string;
  /** Return the already running cluster of this name if it is healthy (default true). */
  reuse?: boolean;
  /** Run the build script and Prometheus unpack first (default true; both are no-ops when cached). */
  build?: boolean;
  /** Start the mesh simulator: `auto` (default) starts it when its main.ts exists. */
  meshSimulator?: 'auto' | 'off' | { mainFile: string };
  /** Create a Deployment and delete its namespace once, to prove KCM + scheduler + kwok work (default true). */
  smokeTest?: boolean;
  log?: Logger;
}

export interface RunningCluster {
  name: string;
  env: ClusterEnv;
  state: ClusterState;
  /** True when an already running cluster was returned instead of starting one. */
  reused: boolean;
}

export interface ComponentHealth {
  component: string;
  pid?: number;
  healthy: boolean;
  detail: string;
}

export interface ClusterHealth {
  name: string;
  state: ClusterState;
  healthy: boolean;
  components: ComponentHealth[];
}

export interface StopClusterResult {
  name: string;
  /** False when no state file existed. */
  found: boolean;
  runDir?: string;
  processes: StopOutcome[];
}

/** up/down of one cluster may wait this long for another process's up (which may include a cold build). */
const lockTimeoutMs = 110 * 60_000;

const elapsed = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** Probes every recorded process and the HTTP readiness endpoints of a cluster. */
export async function checkClusterHealth(state: ClusterState): Promise<ClusterHealth> {
  const components: ComponentHealth[] = state.processes.map((record) => {
    const alive = isProcessAlive(record.pid) && isRecordedProcess(record, state.runDir);
    return { component: record.component, pid: record.pid, healthy: alive, detail: alive ? 'running' : 'not running' };
  });
  const endpoint = async (component: string, url: string, admin?: AdminClient): Promise<void> => {
    const result = await probe(url, admin?.tlsOptions);
    components.push({
      component: `${component} endpoint`,
      healthy: result.ok,
      detail: result.ok ? url : result.detail,
    });
  };
  if (state.phase !== 'ready') {
    components.push({ component: 'startup', healthy: false, detail: `phase ${state.phase} (an up did not finish)` });
  } else {
    const pki = join(state.runDir, 'pki');
    let admin: AdminClient | undefined;
    try {
      admin = new AdminClient(apiserverUrl(state.ports.apiserver), {
        caCert: join(pki, 'ca.crt'),
        adminCert: join(pki, 'admin.crt'),
        adminKey: join(pki, 'admin.key'),
      });
    } catch (error) {
      components.push({ component: 'pki', healthy: false, detail: String(error) });
    }
    if (admin) await endpoint('kube-apiserver', `${admin.server}/readyz`, admin);
    await endpoint('prometheus', `${state.env.PROMETHEUS_URL}/-/ready`);
    if (state.meshSimulator === 'running') await endpoint('mesh-simulator', `${state.env.MESH_SIMULATOR_URL}/healthz`);
  }
  return { name: state.name, state, healthy: components.every((c) => c.healthy), components };
}

// Clients first, storage last (recipe section 7 step 17); processes of one rank stop in parallel.
const stopRank: Record<string, number> = {
  kwok: 0,
  'kube-scheduler': 0,
  'kube-controller-manager': 0,
  'mesh-simulator': 0,
  'kube-apiserver': 1,
  etcd: 2,
  prometheus: 2,
};

async function stopRecordedProcesses(records: readonly ProcessRecord[], runDir: string): Promise<StopOutcome[]> {
  const outcomes: StopOutcome[] = [];
  const ranks = [...new Set(records.map((r) => stopRank[r.component] ?? 0))].sort((a, b) => a - b);
  for (const rank of ranks) {
    const batch = records.filter((r) => (stopRank[r.component] ?? 0) === rank);
    outcomes.push(...(await Promise.all(batch.map((record) => stopProcess(record, runDir)))));
  }
  return outcomes;
}

/** Stops exactly the recorded processes, removes the run dir and the state file. */
async function teardown(state: ClusterState): Promise<StopOutcome[]> {
  const outcomes = await stopRecordedProcesses(state.processes, state.runDir);
  rmSync(state.runDir, { recursive: true, force: true });
  removeState(state.name);
  return outcomes;
}

/** Keeps the logs of a failed start outside the run dir, which teardown removes. */
function preserveLogs(state: ClusterState): string | undefined {
  const from = join(state.runDir, 'logs');
  if (!existsSync(from)) return undefined;
  const to = join(stateDir(), `${state.name}-failed-logs`);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  return to;
}

async function launch(name: string, options: StartClusterOptions, log: Logger): Promise<ClusterState> {
  const binaries = options.build === false ? checkBinaries() : await ensureBinaries(log);
  const versions = readVersions();
  const started = Date.now();
  const simulatorMain = typeof options.meshSimulator === 'object' ? options.meshSimulator.mainFile : meshSimulatorMain;
  const runSimulator = options.meshSimulator !== 'off' && meshSimulatorAvailable(simulatorMain);

  const runDir = createRunDir(name);
  const ports = await allocatePorts(portNames);
  const kubeconfig = join(runDir, 'admin.kubeconfig');
  const state: ClusterState = {
    name,
    phase: 'starting',
    runDir,
    startedByPid: process.pid,
    startedAt: new Date().toISOString(),
    ports,
    processes: [],
    env: {
      KUBECONFIG: kubeconfig,
      PROMETHEUS_URL: prometheusUrl(ports.prometheus),
      MESH_SIMULATOR_URL: meshSimulatorUrl(ports.meshSimulator),
    },
    meshSimulator: runSimulator ? 'running' : 'not-available',
    kubernetesVersion: versions.kubernetes.version,
  };
  writeState(state);
  log(`cluster "${name}": run dir ${runDir}`);
  // Recorded before anything waits on it, so a crash mid-start leaves every pid in the state file.
  const recorded = (spawned: SpawnedProcess): SpawnedProcess => {
    state.processes.push(spawned.record);
    writeState(state);
    return spawned;
  };

  try {
    // Storage and metrics need nothing else: start them while the PKI and module-cache lookups run.
    const etcd = recorded(
      startEtcd({ executable: binaries.etcd, runDir, clientPort: ports.etcdClient, peerPort: ports.etcdPeer }),
    );
    const prometheus = recorded(
      startPrometheus({
        executable: binaries.prometheus,
        runDir,
        port: ports.prometheus,
        meshSimulatorTarget: `127.0.0.1:${ports.meshSimulator}`,
      }),
    );
    const [pki, istioApiDir, kwokDir] = await Promise.all([
      createPki(join(runDir, 'pki')),
      goModuleDir(versions.istioApi.module, versions.istioApi.version),
      goModuleDir('sigs.k8s.io/kwok', versions.kwok.version),
    ]);
    const istioCache = join(cacheDir(), 'crds', `istio-api-${versions.istioApi.version}.json`);
    const crds = [...readIstioCrds(istioApiDir, istioCache), ...readLinnetCrds(linnetCrdDir)];

    // The apiserver retries its etcd connection, so it need not wait for etcd's readiness; both are awaited together.
    const server = apiserverUrl(ports.apiserver);
    writeAdminKubeconfig(kubeconfig, server, pki);
    const admin = new AdminClient(server, pki);
    const apiserver = recorded(
      startApiserver({
        executable: binaries.kubeApiserver,
        runDir,
        port: ports.apiserver,
        etcdUrl: etcdUrl(ports.etcdClient),
        pki,
      }),
    );
    await Promise.all([
      waitForEtcd(etcd, ports.etcdClient).then(() => log(`etcd ready (${elapsed(started)})`)),
      waitForApiserver(apiserver, admin),
    ]);
    log(`kube-apiserver ready (${elapsed(started)})`);

    // Everything else talks only to the apiserver: start it all at once and wait for it together.
    const controllerManager = recorded(
      startControllerManager({
        executable: binaries.kubeControllerManager,
        runDir,
        port: ports.controllerManager,
        kubeconfig,
        pki,
      }),
    );
    const scheduler = recorded(
      startScheduler({ executable: binaries.kubeScheduler, runDir, port: ports.scheduler, kubeconfig }),
    );
    await createFakeNode(admin);
    const kwok = recorded(
      startKwok({
        executable: binaries.kwok,
        runDir,
        port: ports.kwok,
        kubeconfig,
        stagesDir: join(kwokDir, 'kustomize', 'stage', 'fast'),
      }),
    );
    const crdsAndSimulator = (async () => {
      await installCrds(admin, crds);
      log(`${crds.length} CRDs established: ${crds.map((c) => c.metadata.name).join(', ')} (${elapsed(started)})`);
      // The simulator reads VirtualServices, so it starts once their CRD is served.
      if (!runSimulator) {
        log(`mesh simulator not started: ${simulatorMain} does not exist yet`);
        return;
      }
      const simulator = recorded(
        startMeshSimulator({ runDir, port: ports.meshSimulator, kubeconfig, mainFile: simulatorMain }),
      );
      await waitForMeshSimulator(simulator, ports.meshSimulator);
      log(`mesh simulator ready (${elapsed(started)})`);
    })();
    await Promise.all([
      waitForSystemNamespaces(admin),
      waitForControllerManager(controllerManager, ports.controllerManager),
      waitForScheduler(scheduler, ports.scheduler),
      waitForKwok(kwok, ports.kwok, admin),
      waitForPrometheus(prometheus, ports.prometheus),
      crdsAndSimulator,
    ]);
    log(`controller-manager, scheduler, kwok, prometheus ready (${elapsed(started)})`);

    if (options.smokeTest !== false) {
      await runSmokeTest(admin, log);
      log(`smoke test passed (${elapsed(started)})`);
    }
    state.phase = 'ready';
    state.readyAt = new Date().toISOString();
    state.startupMs = Date.now() - started;
    writeState(state);
    log(`cluster "${name}" ready in ${elapsed(started)}`);
    return state;
  } catch (error) {
    const logs = preserveLogs(state);
    await teardown(state);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cluster "${name}" failed to start: ${message}${logs ? `\n(all logs kept in ${logs})` : ''}`, {
      cause: error,
    });
  }
}

/**
 * Starts a cluster, or returns the running one of that name if it is healthy. Leftovers of a crashed or unhealthy
 * run (recorded pids whose /proc cmdline still matches) are stopped first.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<RunningCluster> {
  const name = options.name ?? defaultClusterName;
  const log = options.log ?? stderrLogger;
  return withClusterLock(name, lockTimeoutMs, async () => {
    const existing = readState(name);
    if (existing) {
      const health = await checkClusterHealth(existing);
      if (health.healthy && options.reuse !== false) {
        log(`reusing running cluster "${name}" (run dir ${existing.runDir})`);
        return { name, env: existing.env, state: existing, reused: true };
      }
      const problems = health.components.filter((c) => !c.healthy).map((c) => `${c.component}: ${c.detail}`);
      log(`cleaning up previous cluster "${name}"${problems.length ? ` (${problems.join('; ')})` : ''}`);
      await teardown(existing);
    }
    const state = await launch(name, options, log);
    return { name, env: state.env, state, reused: false };
  });
}

/** Stops the named cluster's recorded processes (SIGTERM, wait, SIGKILL) and removes its run dir and state file. */
export async function stopCluster(name = defaultClusterName): Promise<StopClusterResult> {
  return withClusterLock(name, lockTimeoutMs, async () => {
    const state = readState(name);
    if (!state) return { name, found: false, processes: [] };
    const processes = await teardown(state);
    return { name, found: true, runDir: state.runDir, processes };
  });
}

/** The env of a cluster that finished starting, or undefined (no health probe; see checkClusterHealth). */
export function readClusterEnv(name = defaultClusterName): ClusterEnv | undefined {
  const state = readState(name);
  return state?.phase === 'ready' ? state.env : undefined;
}

export function readClusterState(name = defaultClusterName): ClusterState | undefined {
  return readState(name);
}

/** Shell lines for `eval "$(npm run -s testenv -- env)"`. */
export function formatExports(env: ClusterEnv): string {
  const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
  return (Object.entries(env) as [keyof ClusterEnv, string][])
    .map(([key, value]) => `export ${key}=${quote(value)}`)
    .join('\n');
}
