import { performance } from 'node:perf_hooks';
import { execa, type Result } from 'execa';

/** Runs external programs as argument vectors (never through an implicit shell: `sh -c` / `bash -c` are explicit). */
export interface ShellCommand {
  readonly program: string;
  readonly args: readonly string[];
}

export interface ShellRunOptions {
  readonly timeoutMs: number;
  /** Aborting terminates the process (SIGTERM, then SIGKILL after 5 s). */
  readonly signal?: AbortSignal;
  /** How failures name the command (credentials hidden); default the argument vectors. */
  readonly description?: string;
}

export interface ShellRunResult {
  readonly ok: boolean;
  readonly exitCode: number | undefined;
  /** stdout and stderr interleaved, as Flagger's CombinedOutput. */
  readonly output: string;
  /** Why it failed, for the HTTP answer and the log; undefined when ok. */
  readonly failure: string | undefined;
  readonly durationMs: number;
}

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export function describePipeline(pipeline: readonly ShellCommand[]): string {
  return pipeline.map((command) => [command.program, ...command.args].join(' ')).join(' | ');
}

/**
 * Runs the commands with each one's stdout piped into the next one's stdin, as `a | b` would in a shell. As in a
 * shell, the last command's exit status decides, and a timeout or cancellation of any command fails the run.
 */
export async function runPipeline(
  pipeline: readonly ShellCommand[],
  options: ShellRunOptions,
): Promise<ShellRunResult> {
  const startedAt = performance.now();
  const processes = pipeline.map((command, index) =>
    execa(command.program, [...command.args], {
      all: index === pipeline.length - 1,
      buffer: { stdout: index === pipeline.length - 1 }, // earlier commands' stdout goes to the next one only
      reject: false,
      stdin: index === 0 ? 'ignore' : 'pipe',
      timeout: options.timeoutMs,
      forceKillAfterDelay: 5000,
      maxBuffer: MAX_OUTPUT_BYTES,
      stripFinalNewline: false,
      ...(options.signal ? { cancelSignal: options.signal } : {}),
    }),
  );
  processes.forEach((process, index) => {
    const next = processes[index + 1];
    if (next?.stdin) process.stdout?.pipe(next.stdin).on('error', () => undefined); // EPIPE: the reader ended first
  });
  const results = await Promise.all(processes);
  const last = results[results.length - 1];
  // As a shell's combined output: what earlier commands wrote to stderr, then the last one's stdout and stderr.
  const earlierErrors = results.slice(0, -1).map((result) => (typeof result.stderr === 'string' ? result.stderr : ''));
  const output = [...earlierErrors, typeof last?.all === 'string' ? last.all : ''].join('');
  const durationMs = performance.now() - startedAt;
  const failed = results.find((result) => result.timedOut || result.isCanceled) ?? (last?.failed ? last : undefined);
  if (failed === undefined) return { ok: true, exitCode: last?.exitCode, output, failure: undefined, durationMs };
  let failure = describeFailure(options.description ?? describePipeline(pipeline), failed, options.timeoutMs);
  if (output.trim() !== '') failure += `: ${output.trim()}`;
  return { ok: false, exitCode: last?.exitCode, output, failure, durationMs };
}

function describeFailure(described: string, result: Result, timeoutMs: number): string {
  if (result.timedOut) return `command ${described} timed out after ${timeoutMs} ms`;
  if (result.isCanceled) return `command ${described} was cancelled (the test loader is stopping)`;
  if (result.isMaxBuffer) return `command ${described} wrote more than ${MAX_OUTPUT_BYTES} bytes of output`;
  if (result.exitCode !== undefined) return `command ${described} failed: exit status ${result.exitCode}`;
  if (result.signal) return `command ${described} was killed by ${result.signal}`;
  return `command ${described} could not be started: ${result.originalMessage || result.shortMessage}`;
}
