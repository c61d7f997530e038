// Test loader rate benchmark: how fast the in-process load generator (a `hey` command posted to the test loader,
// run by autocannon) can go on one core against a local server, and how close it gets to a requested rate at 100,
// 1,000 and 5,000 requests per second — compared in the same run with the real `hey` (Debian's package) when installed.
// Records the figures in the testloader section of docs/benchmarks.md.
//
//   npx node bench/testloader-rate.ts [--duration 10] [--repeat 3] [--no-hey] [--no-write]
//
// Every case runs --repeat times, linnet and hey alternating, and the median is reported with the range: the machine
// this runs on is usually shared, and contention moves single figures a lot.
//
// The test loader runs as its own process (`node packages/testloader/src/main.ts`) pinned to CPU 0 with taskset; hey
// runs pinned to CPU 0 with -cpus 1; the target server (bench/testloader-target-server.ts) is pinned to CPU 1.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, cpus, homedir, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchmarksFile, writeBenchmarkSection } from './support/benchmarks-doc.ts';

const repoRoot = join(import.meta.dirname, '..');
const startMarker = '<!-- testloader-rate:start -->';
const endMarker = '<!-- testloader-rate:end -->';
const args = process.argv.slice(2);
const durationFlag = args.indexOf('--duration');
const durationSeconds = durationFlag >= 0 ? Number(args[durationFlag + 1]) : 10;
if (!Number.isInteger(durationSeconds) || durationSeconds < 2) throw new Error('--duration needs whole seconds ≥ 2');
const repeatFlag = args.indexOf('--repeat');
const repeats = repeatFlag >= 0 ? Number(args[repeatFlag + 1]) : 3;
if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeat needs a positive whole number');
const writeDocs = !args.includes('--no-write');
const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;

/** Rates to request, and how hey spreads them: total = q × c. */
const RATE_PLANS = [
  { rate: 100, concurrency: 2 },
  { rate: 1000, concurrency: 10 },
  { rate: 5000, concurrency: 50 },
];
const CEILING_CONCURRENCY = 50;

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function pinnedCommand(cpu: number, command: string[]): [string, string[]] {
  return pinned ? ['taskset', ['-c', String(cpu), ...command]] : [command[0] ?? '', command.slice(1)];
}

function findHey(): string | undefined {
  if (args.includes('--no-hey')) return undefined;
  const onPath = spawnSync('sh', ['-c', 'command -v hey'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const cached = join(homedir(), '.cache', 'linnet', 'bin', 'hey');
  return existsSync(cached) ? cached : undefined;
}

function heyVersion(): string {
  const debian = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'hey'], { encoding: 'utf8' });
  return debian.status === 0 ? `Debian package ${debian.stdout.trim()}` : 'built with go install';
}

/** CPU seconds a process has used so far (utime + stime), or its waited-for children's (cutime + cstime). */
function cpuSeconds(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [first, second] = children ? [13, 14] : [11, 12];
  return (Number(fields[first]) + Number(fields[second])) / clockTicks;
}

/** Busy time (all processes) of one CPU so far, in seconds, from /proc/stat. */
function cpuBusySeconds(cpu: number): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`cpu${cpu} `));
  const [user, nice, system, , , irq, softirq, steal] = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / clockTicks;
}

interface ContentionProbe {
  /** Cores' worth of other work on CPU 0 and CPU 1 while the run lasted. */
  finish(generatorCpuSeconds: number): { cpu0: number; cpu1: number };
}

function probeContention(targetPid: number): ContentionProbe {
  const started = performance.now();
  const busy0 = cpuBusySeconds(0);
  const busy1 = cpuBusySeconds(1);
  const target = cpuSeconds(targetPid);
  return {
    finish(generatorCpuSeconds) {
      const wall = (performance.now() - started) / 1000;
      return {
        cpu0: Math.max(0, (cpuBusySeconds(0) - busy0 - generatorCpuSeconds) / wall),
        cpu1: Math.max(0, (cpuBusySeconds(1) - busy1 - (cpuSeconds(targetPid) - target)) / wall),
      };
    },
  };
}

async function httpText(url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: body === undefined ? 'GET' : 'POST', agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function served(targetUrl: string): Promise<number> {
  return Number((await httpText(`${targetUrl}/__count`)).text);
}

interface Measurement {
  readonly tool: 'linnet' | 'hey';
  readonly requested: number | undefined;
  readonly command: string;
  readonly achieved: number;
  readonly serverRate: number;
  readonly cpuCores: number;
  /** Other processes' load on the generator's CPU and on the target's CPU, in cores. */
  readonly others: { cpu0: number; cpu1: number };
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

interface LoaderLogLine {
  readonly message: string;
  readonly port?: number;
  readonly result?: {
    achievedRate: number;
    durationSeconds: number;
    errors: number;
    latencyMs: { p50: number; p99: number };
  };
}

function startProcess(command: [string, string[]]): ChildProcess {
  return spawn(command[0], command[1], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function main(): Promise<void> {
  const heyBinary = findHey();
  const loadBefore = loadavg()[0] ?? 0;
  const children: ChildProcess[] = [];
  const stopAll = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stopAll);

  const target = startProcess(pinnedCommand(1, [process.execPath, 'bench/testloader-target-server.ts']));
  children.push(target);
  const targetPort = await new Promise<number>((resolve) =>
    createInterface({ input: target.stdout! }).once('line', (line) => resolve(Number(line))),
  );
  const targetUrl = `http://127.0.0.1:${targetPort}`;

  const loader = startProcess(
    pinnedCommand(0, [process.execPath, 'packages/testloader/src/main.ts', '--port', '0', '--address', '127.0.0.1']),
  );
  children.push(loader);
  const loaderLines: LoaderLogLine[] = [];
  let lineArrived: (() => void) | undefined;
  createInterface({ input: loader.stdout! }).on('line', (line) => {
    try {
      loaderLines.push(JSON.parse(line) as LoaderLogLine);
      lineArrived?.();
    } catch {
      // not a log line
    }
  });
  const nextLine = async (matches: (line: LoaderLogLine) => boolean): Promise<LoaderLogLine> => {
    for (;;) {
      const found = loaderLines.find(matches);
      if (found) {
        loaderLines.splice(loaderLines.indexOf(found), 1);
        return found;
      }
      await new Promise<void>((resolve) => (lineArrived = resolve));
    }
  };
  const loaderPort = (await nextLine((line) => line.message.startsWith('Starting Linnet test loader'))).port;
  const loaderUrl = `http://127.0.0.1:${loaderPort}`;
  log(`target ${targetUrl} (CPU 1), test loader ${loaderUrl} (CPU 0), hey: ${heyBinary ?? 'not available'}`);

  const runLinnet = async (command: string, requested: number | undefined): Promise<Measurement> => {
    const before = await served(targetUrl);
    const cpuBefore = cpuSeconds(loader.pid!);
    const contention = probeContention(target.pid!);
    const answer = await httpText(
      loaderUrl,
      JSON.stringify({ name: 'bench', namespace: 'bench', metadata: { type: 'cmd', cmd: command } }),
    );
    if (answer.status !== 202) throw new Error(`the test loader answered ${answer.status}: ${answer.text}`);
    const finished = await nextLine((line) => line.message === `command finished ${command}`);
    const cpu = cpuSeconds(loader.pid!) - cpuBefore;
    const others = contention.finish(cpu);
    const result = finished.result!;
    const measurement: Measurement = {
      tool: 'linnet',
      requested,
      command,
      achieved: result.achievedRate,
      serverRate: ((await served(targetUrl)) - before) / result.durationSeconds,
      cpuCores: cpu / result.durationSeconds,
      others,
      p50Ms: result.latencyMs.p50,
      p99Ms: result.latencyMs.p99,
      errors: result.errors,
    };
    log(`linnet ${command}: ${measurement.achieved.toFixed(1)} req/s`);
    return measurement;
  };

  const runHey = async (command: string, requested: number | undefined): Promise<Measurement> => {
    const before = await served(targetUrl);
    const cpuBefore = cpuSeconds('self', true);
    const contention = probeContention(target.pid!);
    const heyArgs = command.split(' ').slice(1);
    const [program, programArgs] = pinnedCommand(0, [heyBinary!, '-cpus', '1', ...heyArgs]);
    const started = performance.now();
    const output = spawnSync(program, programArgs, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallSeconds = (performance.now() - started) / 1000;
    const heyCpu = cpuSeconds('self', true) - cpuBefore;
    const others = contention.finish(heyCpu);
    if (output.status !== 0) throw new Error(`hey failed: ${output.stderr}`);
    const number = (pattern: RegExp): number => Number(pattern.exec(output.stdout)?.[1] ?? Number.NaN);
    const total = number(/Total:\s+([\d.]+) secs/);
    const errorCount = [...output.stdout.matchAll(/^\s+\[(\d+)\]\s+Get /gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const measurement: Measurement = {
      tool: 'hey',
      requested,
      command: `hey -cpus 1 ${heyArgs.join(' ')}`,
      achieved: number(/Requests\/sec:\s+([\d.]+)/),
      serverRate: ((await served(targetUrl)) - before) / (Number.isFinite(total) ? total : wallSeconds),
      cpuCores: heyCpu / wallSeconds,
      others,
      p50Ms: number(/50%+ in ([\d.]+) secs/) * 1000,
      p99Ms: number(/99%+ in ([\d.]+) secs/) * 1000,
      errors: errorCount,
    };
    log(`hey ${command}: ${measurement.achieved.toFixed(1)} req/s`);
    return measurement;
  };

  interface Case {
    readonly requested: number | undefined;
    readonly command: string;
    readonly runs: { linnet: Measurement[]; hey: Measurement[] };
  }
  const cases: Case[] = [];
  const runCase = async (requested: number | undefined, command: string): Promise<Case> => {
    const entry: Case = { requested, command, runs: { linnet: [], hey: [] } };
    for (let round = 1; round <= repeats; round++) {
      log(`round ${round}/${repeats}`);
      entry.runs.linnet.push(await runLinnet(command, requested));
      if (heyBinary) entry.runs.hey.push(await runHey(command, requested));
    }
    cases.push(entry);
    return entry;
  };
  try {
    // Warm-up, so that JIT compilation does not count against the first figure.
    await runLinnet(`hey -z 2s -q 100 -c 10 ${targetUrl}/warmup`, 1000);
    for (const plan of RATE_PLANS) {
      const perWorker = plan.rate / plan.concurrency;
      await runCase(plan.rate, `hey -z ${durationSeconds}s -q ${perWorker} -c ${plan.concurrency} ${targetUrl}/`);
    }
    const ceiling = await runCase(undefined, `hey -z ${durationSeconds}s -c ${CEILING_CONCURRENCY} ${targetUrl}/`);
    // The highest requested rate it meets: 90 % of the median ceiling, rounded down to a multiple of 500.
    const ceilingRate = median(ceiling.runs.linnet.map((m) => m.achieved));
    const sustained = Math.max(500, Math.floor((ceilingRate * 0.9) / 500) * 500);
    await runCase(
      sustained,
      `hey -z ${durationSeconds}s -q ${sustained / CEILING_CONCURRENCY} -c ${CEILING_CONCURRENCY} ${targetUrl}/`,
    );
  } finally {
    stopAll();
  }

  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const errorOf = (achieved: number, requested: number | undefined): string =>
    requested === undefined
      ? '—'
      : `${achieved >= requested ? '+' : ''}${fixed(((achieved - requested) / requested) * 100)} %`;
  const shown = (command: string): string => command.replace(targetUrl, 'http://127.0.0.1:$PORT');
  const row = (entry: Case, tool: 'linnet' | 'hey'): string | undefined => {
    const runs = entry.runs[tool];
    if (runs.length === 0) return undefined;
    const achieved = runs.map((m) => m.achieved);
    const middle = median(achieved);
    const command = tool === 'hey' ? (runs[0]?.command ?? '') : entry.command;
    return [
      '',
      entry.requested === undefined ? 'unlimited' : entry.requested.toLocaleString('en'),
      tool,
      `\`${shown(command)}\``,
      `${fixed(middle)} (${fixed(Math.min(...achieved))}–${fixed(Math.max(...achieved))})`,
      errorOf(middle, entry.requested),
      fixed(median(runs.map((m) => m.serverRate))),
      fixed(median(runs.map((m) => m.cpuCores)), 2),
      fixed(median(runs.map((m) => m.achieved / m.cpuCores)), 0),
      `${fixed(median(runs.map((m) => m.others.cpu0)), 2)} / ${fixed(median(runs.map((m) => m.others.cpu1)), 2)}`,
      `${fixed(median(runs.map((m) => m.p50Ms)), 2)} / ${fixed(median(runs.map((m) => m.p99Ms)), 2)}`,
      String(runs.reduce((sum, m) => sum + m.errors, 0)),
      '',
    ]
      .join(' | ')
      .trim();
  };
  const ceilingCase = cases.find((entry) => entry.requested === undefined);
  const sustainedCase = cases.at(-1);
  const medianOf = (entry: Case | undefined, tool: 'linnet' | 'hey'): number =>
    median(entry?.runs[tool].map((m) => m.achieved) ?? []);

  const section = [
    startMarker,
    '## testloader: load rate',
    '',
    "How the test loader's in-process load generator (a `hey` command posted to the test loader as a Canary webhook",
    'would, run by autocannon) holds a requested rate, and how fast it can go on one core, against a local Node HTTP',
    `server; the same commands run by the real \`hey\` in the same run${heyBinary ? ` (${heyVersion()})` : ' (hey was not available)'}.`,
    `Each run lasts ${durationSeconds} s; each case runs ${repeats} times, linnet and hey alternating, and the median is shown.`,
    '"achieved" is what each tool reports (responses ÷ run time); "server saw" is what the target counted over the same',
    'time; CPU is the load generator process\'s CPU time ÷ run time (1.00 = one whole core); "req per CPU-second" is',
    'achieved ÷ CPU, what one core would sustain if the generator had it to itself; "other work" is what other processes',
    "used of the generator's CPU (0) and the target's CPU (1) meanwhile, from /proc/stat.",
    `The test loader and hey are pinned to CPU 0 (hey with \`-cpus 1\`), the target server to CPU 1${pinned ? '' : ' — not pinned on this machine (no taskset or one core)'}.`,
    '',
    `Produced by \`npx node bench/testloader-rate.ts --duration ${durationSeconds} --repeat ${repeats}\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit};`,
    `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}.`,
    `1-minute load average before/after: ${loadBefore.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)} — the machine was shared with other work, which`,
    "adds noise to every figure. Each row's command is what was posted in `metadata.cmd` (linnet) or run (hey).",
    '',
    '| requested req/s | tool | command | achieved req/s, median (range) | error of median | server saw req/s | CPU (cores) | req per CPU-second | other work on CPU 0 / 1 (cores) | p50 / p99 ms | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...cases.flatMap((entry) => [row(entry, 'linnet'), row(entry, 'hey')].filter((line) => line !== undefined)),
    '',
    `Highest rate on one core (no \`-q\`, ${CEILING_CONCURRENCY} connections, median): linnet ${fixed(medianOf(ceilingCase, 'linnet'), 0)} req/s` +
      (heyBinary ? `, hey ${fixed(medianOf(ceilingCase, 'hey'), 0)} req/s` : '') +
      '.',
    median(ceilingCase?.runs.linnet.map((m) => m.cpuCores) ?? []) < 0.9
      ? `The generator did not use a whole core for it (CPU column): that ceiling is the target server's on a shared machine, not the generator's; at ${fixed(median(ceilingCase?.runs.linnet.map((m) => m.achieved / m.cpuCores) ?? []), 0)} requests per CPU-second, one core of its own would carry about that many requests per second.`
      : 'The generator used its whole core for it (CPU column): that is what one core sustains.',
    sustainedCase && sustainedCase.requested !== undefined
      ? `Requested ${sustainedCase.requested.toLocaleString('en')} req/s (90 % of the linnet ceiling, rounded down to 500): linnet ${fixed(medianOf(sustainedCase, 'linnet'), 0)} (${errorOf(medianOf(sustainedCase, 'linnet'), sustainedCase.requested)})` +
        (heyBinary
          ? `, hey ${fixed(medianOf(sustainedCase, 'hey'), 0)} (${errorOf(medianOf(sustainedCase, 'hey'), sustainedCase.requested)}).`
          : '.')
      : '',
    'linnet paces a rate as a per-second budget per connection (autocannon), in up to 10 connection groups whose seconds',
    "start at staggered offsets, so requests leave in small bursts ten times a second; hey spaces each worker's requests",
    "evenly. Both lose rate when a connection's latency exceeds its share of the second (1 ÷ per-connection rate); the",
    'p99 column shows when that happens. Rates are averages over the run.',
    endMarker,
  ].join('\n');

  if (writeDocs) {
    writeBenchmarkSection(startMarker, endMarker, section);
    log(`updated ${benchmarksFile}`);
  }
  process.stdout.write(`${section}\n`);
}

await main();
