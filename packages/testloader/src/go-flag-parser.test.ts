import { describe, expect, it } from '@jest/globals';
import { parseGoBool, parseGoFlags, parseGoFloat, parseGoInt, type GoFlagSpec } from './go-flag-parser.ts';

const SPECS: readonly GoFlagSpec[] = [
  { name: 'n', kind: 'int' },
  { name: 'q', kind: 'float' },
  { name: 'z', kind: 'duration' },
  { name: 'm', kind: 'string' },
  { name: 'H', kind: 'string-list' },
  { name: 'v', kind: 'bool' },
];

function parse(...args: string[]) {
  const result = parseGoFlags(args, SPECS);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('parseGoFlags', () => {
  it('reads -flag value, -flag=value and --flag=value', () => {
    const flags = parse('-n', '10', '-q=2.5', '--m=POST', '--z', '1m', 'http://x/');
    expect(flags.number('n')).toBe(10);
    expect(flags.number('q')).toBe(2.5);
    expect(flags.string('m')).toBe('POST');
    expect(flags.durationMs('z')).toBe(60_000);
    expect(flags.positional).toEqual(['http://x/']);
  });

  it('treats a bare boolean flag as true and accepts -flag=false', () => {
    expect(parse('-v').bool('v')).toBe(true);
    expect(parse('-v=false').bool('v')).toBe(false);
    expect(parse('-v', 'rest').positional).toEqual(['rest']);
  });

  it('collects repeated list flags in order and lets the last scalar win', () => {
    const flags = parse('-H', 'A: 1', '-H', 'B: 2', '-n', '1', '-n', '2');
    expect(flags.list('H')).toEqual(['A: 1', 'B: 2']);
    expect(flags.number('n')).toBe(2);
    expect(flags.given).toEqual(['H', 'H', 'n', 'n']);
  });

  it('stops at the first non-flag argument, at "-" and after "--"', () => {
    expect(parse('url', '-n', '1').positional).toEqual(['url', '-n', '1']);
    expect(parse('-', '-n').positional).toEqual(['-', '-n']);
    expect(parse('--', '-n', '1').positional).toEqual(['-n', '1']);
  });

  it('takes the next argument as the value even when it starts with a dash', () => {
    expect(parse('-m', '-x').string('m')).toBe('-x');
  });

  it.each([
    [['-foo'], 'flag provided but not defined: -foo'],
    [['-n'], 'flag needs an argument: -n'],
    [['-n', 'ten'], 'invalid value "ten" for flag -n: parse error'],
    [['-q', '1.2.3'], 'invalid value "1.2.3" for flag -q: parse error'],
    [['-z', '10'], 'invalid value "10" for flag -z: time: missing unit in duration "10"'],
    [['-v=maybe'], 'invalid boolean value "maybe" for -v: parse error'],
    [['---n'], 'bad flag syntax: ---n'],
    [['-=1'], 'bad flag syntax: -=1'],
  ])('refuses %j with Go’s message', (args, error) => {
    expect(parseGoFlags(args, SPECS)).toEqual({ ok: false, error });
  });
});

describe('Go number and boolean syntax', () => {
  it.each([
    ['10', 10],
    ['-3', -3],
    ['0x1f', 31],
    ['0o17', 15],
    ['017', 15],
    ['0b101', 5],
    ['0', 0],
  ])('parseGoInt(%j) = %d', (text, value) => expect(parseGoInt(text)).toBe(value));

  it.each(['', '1.5', 'ten', '1e3', '99999999999999999999'])('parseGoInt(%j) is undefined', (text) =>
    expect(parseGoInt(text)).toBeUndefined(),
  );

  it.each([
    ['2.5', 2.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['-1', -1],
  ])('parseGoFloat(%j) = %d', (text, value) => expect(parseGoFloat(text)).toBe(value));

  it.each(['', 'NaN', 'Infinity', '1.2.3', '0x10'])('parseGoFloat(%j) is undefined', (text) =>
    expect(parseGoFloat(text)).toBeUndefined(),
  );

  it('parseGoBool knows strconv.ParseBool’s spellings', () => {
    expect(['1', 't', 'T', 'true', 'TRUE', 'True'].map(parseGoBool)).toEqual(Array(6).fill(true));
    expect(['0', 'f', 'F', 'false', 'FALSE', 'False'].map(parseGoBool)).toEqual(Array(6).fill(false));
    expect(parseGoBool('yes')).toBeUndefined();
    expect(parseGoBool('toString')).toBeUndefined();
  });
});
