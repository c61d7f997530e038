import { parseGoDuration } from './go-duration.ts';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/**
 * A parser for command lines in the style of Go's `flag` package, which both `hey` and Flagger's load tester use:
 * `-name value`, `-name=value`, `--name=value`, boolean flags as `-name` or `-name=false`, parsing stops at the first
 * non-flag argument or at `--`. Error messages match Go's, so users recognise them.
 */
export type GoFlagKind = 'string' | 'bool' | 'int' | 'float' | 'duration' | 'string-list';

export interface GoFlagSpec {
  readonly name: string;
  readonly kind: GoFlagKind;
}

type GoFlagValue = string | boolean | number | readonly string[];

export interface ParsedGoFlags {
  /** Flags in the order they were given (a repeated flag appears repeatedly). */
  readonly given: readonly string[];
  /** Arguments after the flags. */
  readonly positional: readonly string[];
  has(name: string): boolean;
  string(name: string): string | undefined;
  bool(name: string): boolean | undefined;
  /** int and float flags */
  number(name: string): number | undefined;
  /** duration flags, in milliseconds */
  durationMs(name: string): number | undefined;
  list(name: string): readonly string[];
}

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
};

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  return Object.hasOwn(BOOLEAN_TEXT, text) ? BOOLEAN_TEXT[text] : undefined;
}

/** Go's strconv.ParseInt(text, 0, 64) for the values that fit a JavaScript safe integer. */
export function parseGoInt(text: string): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const digits = match[2] ?? '';
  let value: number;
  if (/^0[xXoObB]/.test(digits)) value = Number(digits.toLowerCase());
  else if (digits.length > 1 && digits.startsWith('0')) value = Number.parseInt(digits.slice(1), 8);
  else value = Number(digits);
  const result = sign * value;
  return Number.isSafeInteger(result) ? result : undefined;
}

/** Go's strconv.ParseFloat for finite decimal values. */
export function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function convert(spec: GoFlagSpec, text: string): ParseResult<GoFlagValue> {
  const invalid = (reason = 'parse error'): ParseResult<GoFlagValue> =>
    parseFailure(`invalid value ${JSON.stringify(text)} for flag -${spec.name}: ${reason}`);
  switch (spec.kind) {
    case 'string':
    case 'string-list':
      return parsed(text);
    case 'bool': {
      const value = parseGoBool(text);
      return value === undefined
        ? parseFailure(`invalid boolean value ${JSON.stringify(text)} for -${spec.name}: parse error`)
        : parsed(value);
    }
    case 'int': {
      const value = parseGoInt(text);
      return value === undefined ? invalid() : parsed(value);
    }
    case 'float': {
      const value = parseGoFloat(text);
      return value === undefined ? invalid() : parsed(value);
    }
    case 'duration': {
      const value = parseGoDuration(text);
      return value.ok ? parsed(value.value) : invalid(value.error);
    }
  }
}

export function parseGoFlags(args: readonly string[], specs: readonly GoFlagSpec[]): ParseResult<ParsedGoFlags> {
  const specByName = new Map(specs.map((spec) => [spec.name, spec]));
  const values = new Map<string, GoFlagValue>();
  const given: string[] = [];
  let index = 0;
  while (index < args.length) {
    const arg = args[index] ?? '';
    if (arg.length < 2 || !arg.startsWith('-')) break;
    index++;
    let body = arg.slice(1);
    if (body.startsWith('-')) {
      body = body.slice(1);
      if (body === '') break; // "--" terminates the flags
    }
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      return parseFailure(`bad flag syntax: ${arg}`);
    }
    const equals = body.indexOf('=');
    const name = equals === -1 ? body : body.slice(0, equals);
    let valueText = equals === -1 ? undefined : body.slice(equals + 1);
    const spec = specByName.get(name);
    if (!spec) return parseFailure(`flag provided but not defined: -${name}`);
    if (spec.kind === 'bool' && valueText === undefined) valueText = 'true';
    if (valueText === undefined) {
      if (index >= args.length) return parseFailure(`flag needs an argument: -${name}`);
      valueText = args[index] ?? '';
      index++;
    }
    const value = convert(spec, valueText);
    if (!value.ok) return parseFailure(value.error);
    if (spec.kind === 'string-list') {
      const previous = values.get(name);
      values.set(name, [...(Array.isArray(previous) ? (previous as readonly string[]) : []), String(value.value)]);
    } else {
      values.set(name, value.value);
    }
    given.push(name);
  }
  const positional = args.slice(index);

  const typed = <T>(name: string, check: (value: GoFlagValue) => value is T & GoFlagValue): T | undefined => {
    const value = values.get(name);
    return value !== undefined && check(value) ? value : undefined;
  };
  return parsed({
    given,
    positional,
    has: (name) => values.has(name),
    string: (name) => typed(name, (value): value is string => typeof value === 'string'),
    bool: (name) => typed(name, (value): value is boolean => typeof value === 'boolean'),
    number: (name) => typed(name, (value): value is number => typeof value === 'number'),
    durationMs: (name) => typed(name, (value): value is number => typeof value === 'number'),
    list: (name) => typed(name, (value): value is readonly string[] => Array.isArray(value)) ?? [],
  });
}
