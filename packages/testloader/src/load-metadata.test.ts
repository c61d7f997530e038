import { describe, expect, it } from '@jest/globals';
import { defaultConcurrencyForRate, parseLoadMetadata } from './load-metadata.ts';

describe('parseLoadMetadata', () => {
  it('reads the structured form with every field as a string, as the Canary schema delivers it', () => {
    expect(
      parseLoadMetadata({
        type: 'load',
        url: 'http://podinfo-canary.test:9898/api/echo',
        rate: '100',
        duration: '1m',
        concurrency: '4',
        method: 'post',
        headers: '{"Cookie":"canary=always","content-type":"application/json"}',
        body: '{"hello":"world"}',
        requestTimeout: '5s',
        logCmdOutput: 'true',
      }),
    ).toEqual({
      ok: true,
      value: {
        url: 'http://podinfo-canary.test:9898/api/echo',
        method: 'POST',
        headers: { Cookie: 'canary=always', 'Content-Type': 'application/json' },
        body: '{"hello":"world"}',
        bodyFile: undefined,
        concurrency: 4,
        ratePerSecond: 100,
        durationMs: 60_000,
        requestCount: undefined,
        requestTimeoutMs: 5000,
        keepAlive: true,
      },
    });
  });

  it('accepts a duration in seconds and defaults concurrency to one connection per 20 req/s', () => {
    const result = parseLoadMetadata({ url: 'http://x/', rate: '1000', duration: '30' });
    expect(result).toMatchObject({ ok: true, value: { durationMs: 30_000, concurrency: 50, method: 'GET' } });
  });

  it('keeps the default concurrency between 1 and 250', () => {
    expect(defaultConcurrencyForRate(1)).toBe(1);
    expect(defaultConcurrencyForRate(100)).toBe(5);
    expect(defaultConcurrencyForRate(1_000_000)).toBe(250);
  });

  it.each([
    [{ rate: '10', duration: '1m' }, 'invalid load task: url is required'],
    [{ url: 'http://x/', duration: '1m' }, 'invalid load task: rate (total requests per second) is required'],
    [{ url: 'http://x/', rate: '-5', duration: '1m' }, 'invalid load task: rate must be a positive number (got "-5")'],
    [{ url: 'http://x/', rate: '0', duration: '1m' }, 'invalid load task: rate must be a positive number (got "0")'],
    [
      { url: 'http://x/', rate: 'fast', duration: '1m' },
      'invalid load task: rate must be a positive number (got "fast")',
    ],
    [{ url: 'http://x/', rate: '10' }, 'invalid load task: duration is required (e.g. "1m")'],
    [{ url: 'http://x/', rate: '10', duration: 'soon' }, 'invalid load task: duration: time: invalid duration "soon"'],
    [{ url: 'http://x/', rate: '10', duration: '-1m' }, 'invalid load task: duration must be positive (got "-1m")'],
    [
      { url: 'http://x/', rate: '10', duration: '1m', concurrency: '0' },
      'invalid load task: concurrency must be a whole number of at least 1 (got "0")',
    ],
    [
      { url: 'http://x/', rate: '10', duration: '1m', headers: '[1]' },
      'invalid load task: headers must be a JSON object of header name to value',
    ],
    [
      { url: 'http://x/', rate: '10', duration: '1m', headers: '{"A":1}' },
      'invalid load task: header "A" must have a string value',
    ],
    [{ url: 'http://x/', rate: '10', duration: '1m', speed: 'x' }, 'invalid load task: unknown field "speed"'],
    [
      { url: 'gopher://x/', rate: '10', duration: '1m' },
      'invalid load task: unsupported protocol scheme "gopher" in URL',
    ],
    [
      { url: 'http://x/', rate: '10', duration: '1m', requestTimeout: '500ms' },
      'invalid load task: the request timeout must be at least 1s (got 500 ms)',
    ],
  ])('refuses %j', (metadata, error) => {
    expect(parseLoadMetadata(metadata)).toEqual({ ok: false, error });
  });
});
