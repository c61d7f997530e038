import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseHeyCommand } from './hey-command.ts';
import { planPacingGroups, runLoad, splitEvenly } from './load-runner.ts';
import type { LoadSpec } from './load-spec.ts';
import { startTargetServer, type TargetServer } from './testing/local-servers.ts';

function heySpec(command: string): LoadSpec {
  const result = parseHeyCommand(command.split(' '));
  if (!result.ok) throw new Error(result.error);
  return result.value.spec;
}

describe('pacing groups', () => {
  it('splits whole numbers evenly, larger shares first', () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3]);
    expect(splitEvenly(2, 2)).toEqual([1, 1]);
    expect(splitEvenly(7, 1)).toEqual([7]);
  });

  it('staggers a rate-limited run over up to 10 groups within the first second', () => {
    const groups = planPacingGroups(heySpec('hey -z 10s -q 100 -c 50 http://x/'));
    expect(groups).toHaveLength(10);
    expect(groups.map((group) => group.offsetMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(groups.every((group) => group.connections === 5 && group.rate === 500)).toBe(true);
  });

  it('keeps at least one connection and one request per second in every group', () => {
    expect(planPacingGroups(heySpec('hey -z 10s -q 50 -c 2 http://x/'))).toEqual([
      { offsetMs: 0, connections: 1, rate: 50, requestCount: undefined },
      { offsetMs: 500, connections: 1, rate: 50, requestCount: undefined },
    ]);
    expect(planPacingGroups(heySpec('hey -z 10s -q 0.5 -c 6 http://x/'))).toHaveLength(3);
  });

  it('splits a request count so that no group has fewer requests than connections', () => {
    for (const [n, c] of [
      [20, 19],
      [11, 11],
      [1000, 10],
      [37, 13],
    ] as const) {
      const groups = planPacingGroups(heySpec(`hey -n ${n} -c ${c} -q 5 http://x/`));
      expect(groups.reduce((sum, group) => sum + (group.requestCount ?? 0), 0)).toBe(Math.floor(n / c) * c);
      expect(groups.every((group) => (group.requestCount ?? 0) >= group.connections)).toBe(true);
    }
  });

  it('uses one group when the rate is unlimited', () => {
    expect(planPacingGroups(heySpec('hey -z 10s -c 50 http://x/'))).toEqual([
      { offsetMs: 0, connections: 50, rate: undefined, requestCount: undefined },
    ]);
  });
});

describe('runLoad', () => {
  let target: TargetServer;
  beforeAll(async () => {
    target = await startTargetServer();
  });
  afterAll(async () => {
    await target.close();
  });

  it('sends exactly -n requests and counts them by status class', async () => {
    const result = await runLoad(heySpec(`hey -n 60 -c 3 ${target.url}/status/503`));
    expect(result).toMatchObject({
      responses: 60,
      errors: 0,
      endReason: 'completed',
      responsesByStatusClass: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 60 },
    });
    expect(target.requests.filter((request) => request.path === '/status/503')).toHaveLength(60);
    expect(result.latency.count).toBe(60);
    expect(result.latency.p50Ms).toBeGreaterThan(0);
    expect(result.latency.p99Ms).toBeGreaterThanOrEqual(result.latency.p50Ms);
  });

  it('sends the method, headers, Host and body hey would send', async () => {
    await runLoad(
      heySpec(
        `hey -n 1 -c 1 -m POST -H X-Canary:always -host app.example.com -T application/json -d {} ${target.url}/echo`,
      ),
    );
    const request = target.requests.find((received) => received.path === '/echo');
    expect(request).toMatchObject({ method: 'POST', body: '{}' });
    expect(request?.headers).toMatchObject({
      host: 'app.example.com',
      'x-canary': 'always',
      'content-type': 'application/json',
      'user-agent': 'hey/0.0.1',
    });
  });

  it('opens a new connection for every request with -disable-keepalive', async () => {
    const before = target.connections();
    const result = await runLoad(heySpec(`hey -n 20 -c 2 -disable-keepalive ${target.url}/fresh`));
    expect(result.responses).toBe(20);
    expect(result.latency.count).toBe(20);
    expect(target.connections() - before).toBeGreaterThanOrEqual(20);
  });

  it('counts connection errors when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runLoad(heySpec(`hey -z 300ms -q 20 -c 1 http://127.0.0.1:${port}/`));
    expect(result.responses).toBe(0);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.endReason).toBe('completed');
  });

  it('paces reconnects to a refused port at the request rate, as hey does', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runLoad(heySpec(`hey -z 1s -q 10 -c 2 http://127.0.0.1:${port}/`));
    // 20 request slots a second; without pacing autocannon makes thousands of attempts.
    expect(result.errors).toBeGreaterThan(5);
    expect(result.errors).toBeLessThanOrEqual(30);
  });

  it('counts timeouts as errors', async () => {
    const silent: Server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const result = await runLoad(heySpec(`hey -z 2500ms -c 1 -t 1 http://127.0.0.1:${port}/`));
      expect(result.timeouts).toBeGreaterThan(0);
      expect(result.errors).toBeGreaterThanOrEqual(result.timeouts);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = runLoad(heySpec(`hey -z 1m -q 20 -c 1 ${target.url}/cancel`), { signal: controller.signal });
    controller.abort();
    const result = await running;
    expect(result.endReason).toBe('cancelled');
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('stops at the task timeout', async () => {
    const result = await runLoad(heySpec(`hey -z 1m -q 20 -c 1 ${target.url}/bounded`), { maxDurationMs: 300 });
    expect(result.endReason).toBe('timed-out');
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('reports every response to the progress callbacks', async () => {
    const seen: number[] = [];
    const result = await runLoad(heySpec(`hey -n 10 -c 2 ${target.url}/status/404`), {
      progress: { onResponse: (statusCode) => seen.push(statusCode), onError: () => undefined },
    });
    expect(seen).toEqual(Array(10).fill(404));
    expect(result.responsesByStatusClass['4xx']).toBe(10);
  });

  it('fails when the body file cannot be read', async () => {
    await expect(runLoad(heySpec(`hey -n 1 -c 1 -D /nonexistent/body ${target.url}/`))).rejects.toThrow(/ENOENT/);
  });
});
