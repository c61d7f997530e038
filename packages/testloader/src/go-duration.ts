import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

const NANOSECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Parses a Go `time.ParseDuration` string ("1m", "1.5h", "300ms", "1m30s", "0") into milliseconds, with Go's
 * error messages. A sign is accepted as in Go; callers decide whether a negative duration makes sense.
 */
export function parseGoDuration(text: string): ParseResult<number> {
  const invalid = (): ParseResult<number> => parseFailure(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return parsed(0);
  if (rest === '') return invalid();

  let totalNanoseconds = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const integerDigits = number?.[1] ?? '';
    const fractionDigits = number?.[2] ?? '';
    if (integerDigits === '' && fractionDigits === '') return invalid();
    rest = rest.slice(number?.[0].length ?? 0);

    const unitMatch = /^[^.\d]*/.exec(rest);
    const unit = unitMatch?.[0] ?? '';
    if (unit === '') return parseFailure(`time: missing unit in duration ${JSON.stringify(text)}`);
    const unitNanoseconds = NANOSECONDS_PER_UNIT[unit];
    if (unitNanoseconds === undefined) {
      return parseFailure(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    }
    rest = rest.slice(unit.length);
    totalNanoseconds += Number(`${integerDigits || '0'}.${fractionDigits || '0'}`) * unitNanoseconds;
  }
  if (!Number.isFinite(totalNanoseconds)) return invalid();
  const milliseconds = totalNanoseconds / 1e6;
  return parsed(negative ? -milliseconds : milliseconds);
}

/** Formats milliseconds the way Go prints a time.Duration for the common cases ("1m0s", "1.5s", "250ms"). */
export function formatGoDuration(milliseconds: number): string {
  if (milliseconds === 0) return '0s';
  const sign = milliseconds < 0 ? '-' : '';
  let remaining = Math.abs(milliseconds);
  if (remaining < 1000) return `${sign}${trimNumber(remaining)}ms`;
  const hours = Math.floor(remaining / 3_600_000);
  remaining -= hours * 3_600_000;
  const minutes = Math.floor(remaining / 60_000);
  remaining -= minutes * 60_000;
  const seconds = trimNumber(remaining / 1000);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trimNumber(value: number): string {
  return String(Number(value.toFixed(3)));
}
