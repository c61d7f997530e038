#!/usr/bin/env node
// `npm run testenv -- <command>`: the local control plane for development and CI.
// stdout carries only `export` lines (so `eval "$(npm run -s testenv -- up)"` works); progress goes to stderr.
import { ensureBinaries } from './build.ts';
import {
  checkClusterHealth,
  formatExports,
  readClusterState,
  startCluster,
  stopCluster,
  type StartClusterOptions,
} from './cluster.ts';
import { stderrLogger } from './log.ts';
import { builtImageArchives, loadRealNodeImages } from './real-node/node-images.ts';
import { prepareRealNodeArtifacts } from './real-node/real-node.ts';
import { readVersions } from './versions.ts';
import { defaultClusterName, listClusterNames } from './state.ts';

const usage = `usage: npm run testenv -- <command> [--name <cluster>]

commands:
  up       start a local cluster (or reuse the running one) and print export lines
           options: --no-reuse (always start fresh), --no-smoke, --no-mesh-simulator, --no-build,
                    --real-node (a kubelet + containerd + runc node beside the fake one; needs root)
  env      print the export lines of the running cluster
  status   show each component's pid and health (exit code 1 if unhealthy or not running)
  down     stop the cluster's processes and remove its run dir
  load-images [archive ...]
           load OCI archives into the real node (default: npm run image's controller and test-loader archives)
  build    build or check the cached binaries only (--real-node: also kubelet, kube-proxy, containerd, pause image)
  list     list clusters that have a state file

KUBECONFIG, PROMETHEUS_URL and MESH_SIMULATOR_URL are printed as: export NAME='value'`;

interface ParsedArgs {
  command: string | undefined;
  name: string;
  flags: Set<string>;
  positionals: string[];
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Set<string>();
  let name = defaultClusterName;
  let command: string | undefined;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--name') {
      const value = argv[++i];
      if (value === undefined) throw new Error('--name needs a value');
      name = value;
    } else if (arg.startsWith('--name=')) {
      name = arg.slice('--name='.length);
    } else if (arg.startsWith('--')) {
      flags.add(arg);
    } else if (command === undefined) {
      command = arg;
    } else if (command === 'load-images') {
      positionals.push(arg);
    } else {
      throw new Error(`unexpected argument "${arg}"`);
    }
  }
  return { command, name, flags, positionals };
}

async function up(name: string, flags: Set<string>): Promise<number> {
  const options: StartClusterOptions = {
    name,
    reuse: !flags.has('--no-reuse'),
    smokeTest: !flags.has('--no-smoke'),
    build: !flags.has('--no-build'),
    meshSimulator: flags.has('--no-mesh-simulator') ? 'off' : 'auto',
    realNode: flags.has('--real-node'),
  };
  const cluster = await startCluster(options);
  process.stdout.write(`${formatExports(cluster.env)}\n`);
  return 0;
}

function env(name: string): number {
  const state = readClusterState(name);
  if (!state || state.phase !== 'ready') {
    stderrLogger(`no running cluster "${name}"; run: npm run testenv -- up`);
    return 1;
  }
  process.stdout.write(`${formatExports(state.env)}\n`);
  return 0;
}

async function status(name: string): Promise<number> {
  const state = readClusterState(name);
  if (!state) {
    process.stdout.write(`cluster "${name}": not running\n`);
    return 1;
  }
  const health = await checkClusterHealth(state);
  const lines = [
    `cluster "${name}": ${health.healthy ? 'healthy' : 'UNHEALTHY'} (phase ${state.phase}, kubernetes ${state.kubernetesVersion})`,
    `  run dir:  ${state.runDir}`,
    `  started:  ${state.startedAt}${state.startupMs === undefined ? '' : ` (ready in ${(state.startupMs / 1000).toFixed(1)}s)`}`,
    ...health.components.map(
      (c) =>
        `  ${c.healthy ? 'ok  ' : 'FAIL'} ${c.component.padEnd(28)} ${c.pid === undefined ? '' : `pid ${c.pid} `}${c.detail}`,
    ),
    `  ports:    ${Object.entries(state.ports)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    `  mesh simulator: ${state.meshSimulator}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return health.healthy ? 0 : 1;
}

async function loadImages(name: string, archives: string[]): Promise<number> {
  const state = readClusterState(name);
  if (!state || state.phase !== 'ready')
    throw new Error(`no running cluster "${name}"; run: npm run testenv -- up --real-node`);
  const files = archives.length > 0 ? archives : builtImageArchives();
  const started = Date.now();
  const images = await loadRealNodeImages(state, files);
  stderrLogger(
    `loaded ${files.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)}s; on the real node: ${images.join(', ')}`,
  );
  return 0;
}

async function down(name: string): Promise<number> {
  const result = await stopCluster(name);
  if (!result.found) {
    stderrLogger(`no cluster "${name}" to stop`);
    return 0;
  }
  for (const p of result.processes) stderrLogger(`${p.component} (pid ${p.pid}): ${p.result}`);
  stderrLogger(`cluster "${name}" stopped; removed ${result.runDir}`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const { command, name, flags, positionals } = parseArgs(argv);
  switch (command) {
    case 'up':
      return up(name, flags);
    case 'env':
      return env(name);
    case 'status':
      return status(name);
    case 'down':
      return down(name);
    case 'load-images':
      return loadImages(name, positionals);
    case 'build':
      await ensureBinaries(stderrLogger, { node: flags.has('--real-node') });
      if (flags.has('--real-node')) await prepareRealNodeArtifacts(stderrLogger, readVersions());
      return 0;
    case 'list':
      process.stdout.write(
        listClusterNames()
          .map((n) => `${n}\n`)
          .join(''),
      );
      return 0;
    default:
      process.stderr.write(`${usage}\n`);
      return command === undefined || command === 'help' || flags.has('--help') ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    stderrLogger(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
