// Warm-cache `up` benchmark: runs `npm run testenv -- up` (the CLI, exactly as a developer would) several times in one
// go on a separately named cluster, stopping it after each run, and records the figures in docs/benchmarks.md.
//
//   npx node bench/testenv-up.ts [--runs 3]
//
// The binaries must be built already (the first `up` does that); the build check itself is part of the timing.
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { readClusterState } from '../packages/testenv/src/index.ts';
import { repoRoot } from '../packages/testenv/src/paths.ts';
import { benchmarksFile, writeBenchmarkSection } from './support/benchmarks-doc.ts';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');

const cli = join(repoRoot, 'packages', 'testenv', 'src', 'cli.ts');
const name = `bench-up-${process.pid}`;
const startMarker = '<!-- testenv-up:start -->';
const endMarker = '<!-- testenv-up:end -->';

interface RunResult {
  wallMs: number;
  launchMs: number;
  downMs: number;
}

function runCli(args: string[]): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args, '--name', name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`testenv ${args.join(' ')} failed with status ${result.status}`);
  return { ms, stdout: result.stdout };
}

const results: RunResult[] = [];
const loadBefore = loadavg()[0] ?? 0;
try {
  for (let i = 1; i <= runs; i++) {
    process.stderr.write(`[bench] run ${i}/${runs}: testenv up --name ${name} --no-reuse\n`);
    const up = runCli(['up', '--no-reuse']);
    if (!up.stdout.includes('export KUBECONFIG=')) throw new Error(`up printed no export lines:\n${up.stdout}`);
    const launchMs = readClusterState(name)?.startupMs ?? Number.NaN;
    const down = runCli(['down']);
    results.push({ wallMs: up.ms, launchMs, downMs: down.ms });
    process.stderr.write(
      `[bench] run ${i}: up ${(up.ms / 1000).toFixed(1)}s (launch ${(launchMs / 1000).toFixed(1)}s), down ${(down.ms / 1000).toFixed(1)}s\n`,
    );
  }
} finally {
  spawnSync(process.execPath, [cli, 'down', '--name', name], { stdio: 'ignore', timeout: 60_000 });
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const summary = (pick: (r: RunResult) => number): string => {
  const values = results.map(pick);
  return `${seconds(median(values))} s (min ${seconds(Math.min(...values))}, max ${seconds(Math.max(...values))})`;
};

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
} catch {
  // Not a git checkout.
}
const others = readClusterState('current')?.phase === 'ready' ? 'yes (the shared `current` cluster was running)' : 'no';
const section = [
  startMarker,
  '## testenv: warm-cache `up`',
  '',
  'Wall time of `testenv up --no-reuse` (`node packages/testenv/src/cli.ts`, what `npm run testenv --` runs, without',
  "npm's own start-up) with all binaries cached, until the export lines are printed: build-stamp check, PKI, etcd,",
  'kube-apiserver, controller-manager, scheduler, kwok node Ready, Istio + Linnet CRDs established, Prometheus and mesh',
  'simulator ready, smoke Deployment Available and garbage-collected. "launch" is the part after the build check.',
  'Goal: well under a minute.',
  '',
  `Produced by \`npx node bench/testenv-up.ts --runs ${runs}\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit};`,
  `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 1024 ** 3)} GiB,`,
  `Node ${process.version}. Another cluster running at the same time: ${others}.`,
  `1-minute load average before/after: ${loadBefore.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)} (other work on the machine slows every figure).`,
  '',
  '| run | `up` wall | launch | `down` |',
  '|---|---|---|---|',
  ...results.map((r, i) => `| ${i + 1} | ${seconds(r.wallMs)} s | ${seconds(r.launchMs)} s | ${seconds(r.downMs)} s |`),
  '',
  `Median \`up\`: ${summary((r) => r.wallMs)}; median launch: ${summary((r) => r.launchMs)};`,
  `median \`down\`: ${summary((r) => r.downMs)}.`,
  endMarker,
].join('\n');

writeBenchmarkSection(startMarker, endMarker, section);
process.stdout.write(`${section}\n`);
process.stderr.write(`[bench] updated ${benchmarksFile}\n`);
