import { tryParseDuration } from '@linnet/api';
import { canaryNameFrom } from '../cli-options.ts';
import { followCanaries } from '../cluster/follow-canaries.ts';
import type { CommandContext } from '../command-context.ts';
import { CliError, EXIT_CANARY_FAILED, EXIT_OK, EXIT_TIMEOUT } from '../exit-codes.ts';
import { describeWaitTarget, evaluateWait, parseWaitTarget } from '../wait-condition.ts';

const DEFAULT_TIMEOUT = '30s';

function timeoutMs(text: string | undefined): number {
  const value = text ?? DEFAULT_TIMEOUT;
  // kubectl also takes a bare number of seconds.
  const ms = /^[0-9]+$/.test(value) ? Number(value) * 1000 : tryParseDuration(value);
  if (ms === undefined || ms < 0)
    throw new CliError(`--timeout: expected a duration such as 30s or 10m (got "${value}")`);
  return ms;
}

/**
 * `linnet wait <name> --for=<phase>|condition=<type>[=<status>] [--timeout=30s]`. Exit 0 when reached, 1 when the
 * Canary fails while waiting for something else, 2 on timeout, 3 on any other error.
 */
export async function waitCommand(context: CommandContext): Promise<number> {
  const { io, options } = context;
  const name = canaryNameFrom(context.args, 'wait');
  const target = parseWaitTarget(options.for);
  const limitMs = timeoutMs(options.timeout);
  const namespace = context.namespace();
  const client = context.client();
  const object = `canary.flagger.app/${name}`;

  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, limitMs);
  const onInterrupt = (): void => stop.abort();
  io.interrupt.addEventListener('abort', onInterrupt);
  let lastPhase = '';
  try {
    const updates = followCanaries(
      client,
      { namespace },
      { fieldSelector: `metadata.name=${name}`, signal: stop.signal },
    );
    for await (const canaries of updates) {
      const canary = canaries.get(`${namespace}/${name}`);
      if (!canary) throw new CliError(`${object} not found in namespace ${namespace}`);
      lastPhase = canary.status?.phase || 'Pending';
      const state = evaluateWait(canary, target);
      if (state.kind === 'reached') {
        io.stdout.write(`${object} condition met: ${state.detail}\n`);
        return EXIT_OK;
      }
      if (state.kind === 'failed') {
        io.stderr.write(`${object} failed while waiting for ${describeWaitTarget(target)}: ${state.detail}\n`);
        return EXIT_CANARY_FAILED;
      }
      // A zero timeout checks once, as kubectl's does.
      if (limitMs === 0) break;
    }
  } catch (error) {
    // A request cut short by the timeout or an interrupt is not an error of its own.
    if (!stop.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    io.interrupt.removeEventListener('abort', onInterrupt);
    stop.abort();
  }
  if (timedOut || limitMs === 0) {
    io.stderr.write(
      `timed out waiting for ${describeWaitTarget(target)} on ${object} (phase is ${lastPhase || 'unknown'})\n`,
    );
    return EXIT_TIMEOUT;
  }
  throw new CliError(`interrupted while waiting for ${describeWaitTarget(target)} on ${object}`);
}
