import { describe, expect, it } from '@jest/globals';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['1m', 60_000],
    ['10s', 10_000],
    ['1.5h', 5_400_000],
    ['1m30s', 90_000],
    ['300ms', 300],
    ['250us', 0.25],
    ['1µs', 0.001],
    ['2h45m', 9_900_000],
    ['.5s', 500],
    ['-2s', -2000],
    ['+3s', 3000],
  ])('reads %s as %d ms', (text, milliseconds) => {
    expect(parseGoDuration(text)).toEqual({ ok: true, value: milliseconds });
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['10', 'time: missing unit in duration "10"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1m-2s', 'time: unknown unit "m-" in duration "1m-2s"'],
  ])('refuses %j with Go’s message', (text, error) => {
    expect(parseGoDuration(text)).toEqual({ ok: false, error });
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [1500, '1.5s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
  ])('prints %d ms as %s', (milliseconds, text) => {
    expect(formatGoDuration(milliseconds)).toBe(text);
  });
});
