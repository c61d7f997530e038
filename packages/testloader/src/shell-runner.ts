import { performance } from 'node:perf_hooks';
import { execa } from 'execa';

/** Runs an external program (never through an implicit shell: `sh -c` / `bash -c` are explicit). */
export interface ShellCommand {
  readonly program: string;
  readonly args: readonly string[];
}

export interface ShellRunOptions {
  readonly timeoutMs: number;
  /** Aborting terminates the process (SIGTERM, then SIGKILL after 5 s). */
  readonly signal?: AbortSignal;
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

export function describeShellCommand(command: ShellCommand): string {
  return [command.program, ...command.args].join(' ');
}

export async function runShellCommand(command: ShellCommand, options: ShellRunOptions): Promise<ShellRunResult> {
  const startedAt = performance.now();
  const result = await execa(command.program, [...command.args], {
    all: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    forceKillAfterDelay: 5000,
    maxBuffer: MAX_OUTPUT_BYTES,
    stripFinalNewline: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const output = typeof result.all === 'string' ? result.all : '';
  const durationMs = performance.now() - startedAt;
  if (!result.failed) return { ok: true, exitCode: result.exitCode, output, failure: undefined, durationMs };

  const described = describeShellCommand(command);
  let failure: string;
  if (result.timedOut) failure = `command ${described} timed out after ${options.timeoutMs} ms`;
  else if (result.isCanceled) failure = `command ${described} was cancelled (the test loader is stopping)`;
  else if (result.isMaxBuffer) failure = `command ${described} wrote more than ${MAX_OUTPUT_BYTES} bytes of output`;
  else if (result.exitCode !== undefined) failure = `command ${described} failed: exit status ${result.exitCode}`;
  else if (result.signal) failure = `command ${described} was killed by ${result.signal}`;
  else failure = `command ${described} could not be started: ${result.originalMessage || result.shortMessage}`;
  if (output.trim() !== '') failure += `: ${output.trim()}`;
  return { ok: false, exitCode: result.exitCode, output, failure, durationMs };
}
