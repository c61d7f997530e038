import { join } from 'node:path';
import { AdminClient } from './admin-client.ts';
import { apiserverUrl, startApiserver, waitForApiserver, waitForSystemNamespaces } from './apiserver.ts';
import { checkBinaries, ensureBinaries } from './build.ts';
import { startControllerManager } from './controller-manager.ts';
import { installCrds, readIstioCrds, readLinnetCrds } from './crds.ts';
import { etcdUrl, startEtcd, waitForEtcd } from './etcd.ts';
import { goModuleDir } from './go-modules.ts';
import { waitForKubeComponent } from './kube-component.ts';
import { writeAdminKubeconfig } from './kubeconfig.ts';
import { createFakeNode, startKwok, waitForKwok } from './kwok.ts';
import type { Logger } from './log.ts';
import {
  meshSimulatorAvailable,
  meshSimulatorUrl,
  startMeshSimulator,
  waitForMeshSimulator,
} from './mesh-simulator-process.ts';
import { cacheDir, linnetCrdDir, meshSimulatorMain } from './paths.ts';
import { createPki } from './pki.ts';
import { allocatePorts } from './ports.ts';
import type { SpawnedProcess } from './processes.ts';
import { prometheusUrl, startPrometheus, waitForPrometheus } from './prometheus.ts';
import {
  createRealNodeRecord,
  prepareRealNodeArtifacts,
  realNodeApiserverArgs,
  startRealNode,
} from './real-node/real-node.ts';
import { createRunDir } from './run-dir.ts';
import { startScheduler } from './scheduler.ts';
import { runSmokeTest } from './smoke-test.ts';
import { portNames, writeState, type ClusterState } from './state.ts';
import { preserveLogs, teardown } from './teardown.ts';
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
  /**
   * Add a real node (kubelet + containerd + runc, pods on a bridge in a network namespace of the cluster's own) beside
   * kwok's fake node; needs root. See docs/testenv.md, "A real node".
   */
  realNode?: boolean;
  log?: Logger;
}

const elapsed = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** Starts every component of a new cluster in a fresh run dir; on failure stops what it started and rethrows. */
export async function launchCluster(name: string, options: StartClusterOptions, log: Logger): Promise<ClusterState> {
  const realNode = options.realNode === true;
  const binaries = options.build === false ? checkBinaries() : await ensureBinaries(log, { node: realNode });
  const versions = readVersions();
  const realNodeArtifacts = realNode ? await prepareRealNodeArtifacts(log, versions) : undefined;
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
    meshSimulator: runSimulator ? 'enabled' : options.meshSimulator === 'off' ? 'off' : 'not-available',
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
    if (realNodeArtifacts) {
      state.realNode = createRealNodeRecord(name, realNodeArtifacts);
      writeState(state);
    }
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
        realNode: realNode ? { extraArgs: realNodeApiserverArgs(pki) } : undefined,
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
        publishRootCa: realNode,
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
        if (state.meshSimulator === 'not-available')
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
      waitForKubeComponent(controllerManager, ports.controllerManager),
      waitForKubeComponent(scheduler, ports.scheduler),
      waitForKwok(kwok, ports.kwok, admin),
      waitForPrometheus(prometheus, ports.prometheus),
      crdsAndSimulator,
      realNodeArtifacts && state.realNode
        ? startRealNode({
            clusterName: name,
            runDir,
            record: state.realNode,
            artifacts: realNodeArtifacts,
            pki,
            admin,
            apiserverPort: ports.apiserver,
            prometheusPort: ports.prometheus,
            dnsPort: ports.clusterDns,
            recorded,
            log,
            elapsed: () => elapsed(started),
          })
        : undefined,
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
