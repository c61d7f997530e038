import { describe, expect, it } from '@jest/globals';
import { formatDuration, InvalidDurationError, parseDuration, tryParseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['60s', 60_000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['90s', 90_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['2h45m', 9_900_000],
    ['0', 0],
    ['0s', 0],
    ['-1m', -60_000],
    ['1000us', 1],
  ])('parses %s as %d ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each(['', '1', '1x', 'm', '1m30', 's1', ' 1m', '1m ', '.s', '1d'])('rejects %j', (input) => {
    expect(tryParseDuration(input)).toBeUndefined();
    expect(() => parseDuration(input)).toThrow(InvalidDurationError);
  });

  it('carries a machine reason', () => {
    expect(() => parseDuration('soon')).toThrow(expect.objectContaining({ reason: 'InvalidDuration' }));
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
  ])('formats %d ms as %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
