// Go's time.ParseDuration grammar, which Flagger uses for intervals and timeouts: an optional sign, then one or
// more decimal numbers each followed by a unit (ns, us, µs, ms, s, m, h); a bare "0" is also allowed.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const COMPONENT = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

export class InvalidDurationError extends Error {
  readonly reason = 'InvalidDuration';
  readonly input: string;
  constructor(input: string) {
    super(`"${input}" is not a duration such as 30s, 1m or 1m30s`);
    this.name = 'InvalidDurationError';
    this.input = input;
  }
}

/** Parses a Go duration ("90s", "1m30s", "1.5h") into milliseconds; undefined if it is not one. */
export function tryParseDuration(input: string): number | undefined {
  let rest = input;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < rest.length) {
    const match = COMPONENT.exec(rest);
    if (!match) return undefined;
    const [, number = '', unit = ''] = match;
    // "." alone or a missing number are not durations.
    if (!/[0-9]/.test(number)) return undefined;
    const unitMs = UNIT_MS[unit];
    if (unitMs === undefined) return undefined;
    total += Number(number) * unitMs;
  }
  return sign * total;
}

/** Parses a Go duration into milliseconds; throws InvalidDurationError if it is not one. */
export function parseDuration(input: string): number {
  const ms = tryParseDuration(input);
  if (ms === undefined) throw new InvalidDurationError(input);
  return ms;
}

/** Formats milliseconds the way Go prints durations ("1m30s", "10s", "0s"), for messages and docs. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  return `${sign}${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}
