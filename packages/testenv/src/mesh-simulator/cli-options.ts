import { parseArgs } from 'node:util';
import { DEFAULT_MATCH_FRACTION } from './traffic-plan.ts';

export const USAGE = `usage: node packages/testenv/src/mesh-simulator/main.ts --kubeconfig <path> --port <port> [options]

  --kubeconfig <path>      cluster to read VirtualServices, Services and Deployments from (default: $KUBECONFIG)
  --port <port>            HTTP port for /healthz, /metrics, /load, /debug/plan (0 picks a free one)
  --host <address>         listen address (default 127.0.0.1)
  --rate <req/s>           requests per second entering each VirtualService (default 10)
  --match-fraction <0..1>  share of requests matching a header/query/source match route (default ${DEFAULT_MATCH_FRACTION})
  --tick-ms <ms>           simulation tick (default 200)
  --poll-ms <ms>           re-list period when watching is impossible (default 1000)
  --seed <int>             seed of the simulator's randomness (default 1)`;

export interface CliOptions {
  readonly kubeconfig: string;
  readonly port: number;
  readonly host: string;
  readonly ratePerSecond: number;
  readonly matchFraction: number;
  readonly tickMs: number;
  readonly pollMs: number;
  readonly seed: number;
}

export type CliParse =
  { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string };

function numberOption(
  raw: string | undefined,
  name: string,
  fallback: number | undefined,
  isValid: (value: number) => boolean,
): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !isValid(value))
    throw new Error(`--${name}: invalid value ${JSON.stringify(raw)}`);
  return value;
}

export function parseCliOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliParse {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        rate: { type: 'string' },
        'match-fraction': { type: 'string' },
        'tick-ms': { type: 'string' },
        'poll-ms': { type: 'string' },
        seed: { type: 'string' },
      },
    });
    const kubeconfig = values.kubeconfig ?? env['KUBECONFIG'];
    if (!kubeconfig) throw new Error('--kubeconfig is required');
    return {
      ok: true,
      options: {
        kubeconfig,
        port: numberOption(values.port, 'port', undefined, (v) => Number.isInteger(v) && v >= 0 && v <= 65535),
        host: values.host ?? '127.0.0.1',
        ratePerSecond: numberOption(values.rate, 'rate', 10, (v) => v >= 0),
        matchFraction: numberOption(
          values['match-fraction'],
          'match-fraction',
          DEFAULT_MATCH_FRACTION,
          (v) => v >= 0 && v <= 1,
        ),
        tickMs: numberOption(values['tick-ms'], 'tick-ms', 200, (v) => v >= 10 && v <= 10_000),
        pollMs: numberOption(values['poll-ms'], 'poll-ms', 1000, (v) => v >= 100),
        seed: numberOption(values.seed, 'seed', 1, Number.isInteger),
      },
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
