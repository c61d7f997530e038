/**
 * A hey command posted to the real service reaches the requested rate (±10 %) for the requested duration, measured
 * at a real local HTTP server. Modest rates: the machine running the tests may be busy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  postPayload,
  startLoaderUnderTest,
  startTargetServer,
  waitFor,
  type LoaderUnderTest,
  type TargetServer,
} from './testing/local-servers.ts';

interface LoggedResult {
  readonly requests: number;
  readonly errors: number;
  readonly achievedRate: number;
  readonly requestedRate: number;
  readonly durationSeconds: number;
  readonly endReason: string;
}

describe('load rate', () => {
  let service: LoaderUnderTest;
  let target: TargetServer;
  beforeAll(async () => {
    [service, target] = await Promise.all([startLoaderUnderTest(), startTargetServer()]);
  });
  afterAll(async () => {
    await Promise.all([service.close(), target.close()]);
  });

  async function runAndMeasure(
    metadata: Record<string, string>,
    path: string,
    expected: { rate: number; seconds: number },
  ) {
    const answer = await postPayload(service.url, { name: 'podinfo', namespace: 'test', metadata });
    expect(answer.status).toBe(202);
    const finished = await waitFor(
      `the load run against ${path} to finish`,
      () =>
        service.logs.find((line) => line.message.startsWith('command finished') && String(line.message).includes(path)),
      expected.seconds * 1000 + 15_000,
    );
    const result = finished['result'] as LoggedResult;
    const received = target.requests.filter((request) => request.path === path);
    const first = received[0]?.at ?? 0;
    const last = received.at(-1)?.at ?? 0;
    return { result, received: received.length, spanSeconds: (last - first) / 1000 };
  }

  const within10Percent = (actual: number, expected: number): void => {
    expect(actual).toBeGreaterThanOrEqual(expected * 0.9);
    expect(actual).toBeLessThanOrEqual(expected * 1.1);
  };

  it('hey -z 3s -q 50 -c 2 sends 100 requests per second for 3 seconds', async () => {
    const path = '/rate-hey';
    const { result, received, spanSeconds } = await runAndMeasure(
      { type: 'cmd', cmd: `hey -z 3s -q 50 -c 2 ${target.url}${path}` },
      path,
      { rate: 100, seconds: 3 },
    );
    within10Percent(received / 3, 100); // what the server saw over the requested duration
    within10Percent(result.achievedRate, 100); // what the test loader measured and reports
    within10Percent(result.durationSeconds, 3);
    expect(result).toMatchObject({ requestedRate: 100, errors: 0, endReason: 'completed' });
    expect(spanSeconds).toBeGreaterThan(2 * 0.9); // requests kept coming into the last second, not all at once
  }, 30_000);

  it('the structured form sends 200 requests per second for 2 seconds', async () => {
    const path = '/rate-load';
    const { result, received, spanSeconds } = await runAndMeasure(
      { type: 'load', url: `${target.url}${path}`, rate: '200', duration: '2s' },
      path,
      { rate: 200, seconds: 2 },
    );
    within10Percent(received / 2, 200);
    within10Percent(result.achievedRate, 200);
    within10Percent(result.durationSeconds, 2);
    expect(spanSeconds).toBeGreaterThan(1 * 0.9);
  }, 30_000);
});
