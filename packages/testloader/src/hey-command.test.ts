import { describe, expect, it } from '@jest/globals';
import { isHeyProgram, parseHeyCommand, type HeyCommand } from './hey-command.ts';

function hey(command: string): HeyCommand {
  const result = parseHeyCommand(command.split(' '));
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function heyError(command: string): string {
  const result = parseHeyCommand(command.split(' '));
  if (result.ok) throw new Error(`expected ${command} to be refused`);
  return result.error;
}

describe('parseHeyCommand', () => {
  it('reads the command from Flagger’s docs: total rate is -q × -c for the -z duration', () => {
    const { spec, notes } = hey('hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/');
    expect(spec).toEqual({
      url: 'http://podinfo-canary.test:9898/',
      method: 'GET',
      headers: { 'Content-Type': 'text/html', 'User-Agent': 'hey/0.0.1' },
      body: undefined,
      bodyFile: undefined,
      concurrency: 2,
      ratePerSecond: 20,
      durationMs: 60_000,
      requestCount: undefined,
      requestTimeoutMs: 20_000,
      keepAlive: true,
    });
    expect(notes).toEqual([]);
  });

  it('normalises the URL the way it will be requested', () => {
    expect(hey('hey HTTP://Podinfo-Canary.test:80/api').spec.url).toBe('http://podinfo-canary.test/api');
  });

  it('uses hey’s defaults: 200 requests over 50 workers, no rate limit', () => {
    const { spec } = hey('hey http://x/');
    expect(spec).toMatchObject({ concurrency: 50, requestCount: 200, ratePerSecond: undefined, durationMs: undefined });
  });

  it('runs floor(n / c) requests per worker, as hey does', () => {
    expect(hey('hey -n 105 -c 10 http://x/').spec.requestCount).toBe(100);
  });

  it('ignores -n when -z is given', () => {
    expect(hey('hey -n 5 -c 10 -z 10s http://x/').spec).toMatchObject({ requestCount: undefined, durationMs: 10_000 });
  });

  it('accepts fractional per-worker rates', () => {
    expect(hey('hey -z 1s -q 2.5 -c 4 http://x/').spec.ratePerSecond).toBe(10);
  });

  it('builds the request from -m, -H, -d, -T, -A, -a, -U and -host', () => {
    const result = parseHeyCommand([
      'hey',
      '-m',
      'post',
      '-H',
      'Cookie: canary=always',
      '-H',
      'x-request-id:abc',
      '-d',
      '{"a":1}',
      '-T',
      'application/json',
      '-A',
      'application/json',
      '-a',
      'user:secret',
      '-U',
      'linnet',
      '-host',
      'app.example.com',
      '-t',
      '5',
      'http://gateway/',
    ]);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.spec).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      requestTimeoutMs: 5000,
      headers: {
        'Content-Type': 'application/json',
        Cookie: 'canary=always',
        'X-Request-Id': 'abc',
        Accept: 'application/json',
        Authorization: `Basic ${Buffer.from('user:secret').toString('base64')}`,
        'User-Agent': 'linnet hey/0.0.1',
        Host: 'app.example.com',
      },
    });
  });

  it('lets -H Content-Type override -T, and appends hey’s agent to a -H User-Agent', () => {
    const result = parseHeyCommand([
      'hey',
      '-T',
      'a/b',
      '-H',
      'content-type: c/d',
      '-H',
      'User-Agent: probe',
      'http://x/',
    ]);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.spec.headers).toEqual({ 'Content-Type': 'c/d', 'User-Agent': 'probe hey/0.0.1' });
  });

  it('reads the body from a file with -D (at run time) and -disable-keepalive', () => {
    expect(hey('hey -D /tmp/body.json -disable-keepalive http://x/').spec).toMatchObject({
      bodyFile: '/tmp/body.json',
      body: undefined,
      keepAlive: false,
    });
  });

  it('treats -t 0 as no timeout', () => {
    expect(hey('hey -t 0 http://x/').spec.requestTimeoutMs).toBeGreaterThanOrEqual(3_600_000);
  });

  it('accepts flags that change nothing, and says so', () => {
    expect(hey('hey -o csv -cpus 2 -disable-compression -disable-redirects -h2 http://x/').notes).toEqual([
      '-o has no effect: results are always logged as JSON and exported on /metrics',
      '-cpus has no effect: the load generator runs on the service event loop',
      '-disable-compression has no effect: compression is never requested',
      '-disable-redirects has no effect: redirects are never followed',
      '-h2 has no effect on http:// URLs (hey speaks HTTP/1.1 there too)',
    ]);
  });

  it('recognises the program by name or path', () => {
    expect(isHeyProgram('hey')).toBe(true);
    expect(isHeyProgram('/usr/local/bin/hey')).toBe(true);
    expect(isHeyProgram('wrk')).toBe(false);
    expect(isHeyProgram('heyo')).toBe(false);
  });

  it.each([
    ['hey -foo 1 http://x/', 'invalid hey command: flag provided but not defined: -foo'],
    ['hey -z 10s', 'invalid hey command: a URL is required (usage: hey [options...] <url>)'],
    ['hey http://x/ http://y/', 'invalid hey command: unexpected argument "http://y/" after the URL'],
    ['hey -z 10s -q -5 http://x/', 'invalid hey command: -q must not be negative (got -5)'],
    ['hey -z -10s http://x/', 'invalid hey command: -z must not be negative'],
    ['hey -t -1 http://x/', 'invalid hey command: -t must not be negative (got -1)'],
    ['hey -n 10 -c 20 http://x/', 'invalid hey command: -n cannot be less than -c.'],
    ['hey -n 0 http://x/', 'invalid hey command: -n and -c cannot be smaller than 1.'],
    ['hey -z 10s -c 0 http://x/', 'invalid hey command: -c cannot be smaller than 1.'],
    ['hey -q ten http://x/', 'invalid hey command: invalid value "ten" for flag -q: parse error'],
    ['hey -z 10 http://x/', 'invalid hey command: invalid value "10" for flag -z: time: missing unit in duration "10"'],
    ['hey -h X:1 http://x/', "invalid hey command: Flag '-h' is deprecated, please use '-H' instead."],
    ['hey -H nocolon http://x/', 'invalid hey command: could not parse the provided input; input = nocolon'],
    [
      'hey -x proxy:3128 http://x/',
      'invalid hey command: -x (HTTP proxy) is not supported by the in-process load generator',
    ],
    [
      'hey -h2 https://x/',
      'invalid hey command: -h2 (HTTP/2 over TLS) is not supported by the in-process load generator, which speaks HTTP/1.1',
    ],
    ['hey ftp://x/', 'invalid hey command: unsupported protocol scheme "ftp" in URL'],
    ['hey podinfo:9898', 'invalid hey command: unsupported protocol scheme "podinfo" in URL'],
    ['hey -m FETCH http://x/', 'invalid hey command: unsupported HTTP method "FETCH"'],
    [
      'hey -z 1s -q 0.1 -c 2 http://x/',
      'invalid hey command: a total rate of 0.2 requests per second is below the minimum of 1 request per second',
    ],
    ['hey -z 1s -c 20000 http://x/', 'invalid hey command: concurrency 20000 exceeds the limit of 10000'],
    ['hey -d a -D /tmp/f http://x/', ''],
  ])('refuses %s', (command, error) => {
    if (error === '') {
      expect(hey(command).spec.body).toBeUndefined(); // -D wins over -d, as in hey
      return;
    }
    expect(heyError(command)).toBe(error);
  });
});
