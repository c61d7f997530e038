/**
 * `--mesh-simulator-url` over HTTP: the real test loader on a loopback port receives the seed's rollout webhook, and a
 * real node:http server in the simulator's place records the load job it is asked for (POST /load) and the job's
 * cancellation (DELETE /load/<id>) when the test loader stops. URLs that are not Services still get real HTTP.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  postPayload,
  startLoaderUnderTest,
  startTargetServer,
  waitFor,
  type LoaderUnderTest,
  type TargetServer,
} from '../testing/local-servers.ts';

interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

interface SimulatorStandIn {
  readonly url: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/** Answers as the mesh simulator does: POST /load → 201 with the job, DELETE /load/<id> → 204, else 404. */
async function startSimulatorStandIn(options: { refuseWith?: number } = {}): Promise<SimulatorStandIn> {
  const calls: RecordedCall[] = [];
  let nextId = 1;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      calls.push({ method: request.method ?? '', path, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
      response.setHeader('Content-Type', 'application/json');
      if (request.method === 'POST' && path === '/load') {
        if (options.refuseWith) {
          response.writeHead(options.refuseWith).end(JSON.stringify({ error: 'rate must be a number in (0, 10000]' }));
          return;
        }
        response.writeHead(201).end(JSON.stringify({ id: `load-${nextId++}`, ...(JSON.parse(text) as object) }));
      } else if (request.method === 'DELETE' && path.startsWith('/load/')) {
        response.writeHead(204).end();
      } else {
        response.writeHead(404).end(JSON.stringify({ error: 'not found' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const seedWebhook = (cmd: string): unknown => ({
  name: 'backend',
  namespace: 'webapp',
  phase: 'Progressing',
  checksum: 'abc',
  metadata: { type: 'cmd', cmd },
});

describe('test loader with --mesh-simulator-url', () => {
  const stoppers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
  });

  async function start(options: { refuseWith?: number } = {}): Promise<[LoaderUnderTest, SimulatorStandIn]> {
    const simulator = await startSimulatorStandIn(options);
    stoppers.push(() => simulator.close());
    const loader = await startLoaderUnderTest({ meshSimulatorUrl: `${simulator.url}/` });
    stoppers.push(() => loader.close());
    return [loader, simulator];
  }

  it("turns the seed's hey on backend-canary.webapp into a simulator load job, and stops it with the task", async () => {
    const [loader, simulator] = await start();
    const answer = await postPayload(
      loader.url,
      seedWebhook('hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/'),
    );
    expect(answer.status).toBe(202);
    expect(answer.headers['x-linnet-task']).toBe('started');

    await waitFor('the POST /load', () => simulator.calls.find((call) => call.method === 'POST'));
    expect(simulator.calls).toEqual([
      {
        method: 'POST',
        path: '/load',
        body: { namespace: 'webapp', service: 'backend-canary', rate: 20, durationSeconds: 60 },
      },
    ]);
    await waitFor('the log line naming the job', () =>
      loader.logs.find((line) => line.message.includes('sent to the mesh simulator as job load-1')),
    );

    // The same command again while the job runs is skipped, as in Flagger: no second job.
    const again = await postPayload(loader.url, seedWebhook('hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/'));
    expect(again.headers['x-linnet-task']).toBe('already-running');

    // Stopping the test loader cancels the task, and the task stops its job on the simulator.
    await loader.close();
    expect(simulator.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /load', 'DELETE /load/load-1']);
    expect(loader.logs.find((line) => line.message.startsWith('command finished hey -z 1m'))).toMatchObject({
      result: { endReason: 'cancelled', requestedRate: 20 },
    });
  });

  it('sends a load on a URL that is not a cluster Service over HTTP as before', async () => {
    const [loader, simulator] = await start();
    const target: TargetServer = await startTargetServer();
    stoppers.push(() => target.close());
    const answer = await postPayload(loader.url, seedWebhook(`hey -n 4 -c 2 ${target.url}/`));
    expect(answer.status).toBe(202);
    await waitFor('4 requests at the target', () => target.requests.length >= 4);
    await waitFor('the run to finish', () => loader.logs.find((line) => line.message.startsWith('command finished')));
    expect(simulator.calls).toEqual([]);
  });

  it('logs the failure when the simulator refuses the job', async () => {
    const [loader, simulator] = await start({ refuseWith: 400 });
    await postPayload(loader.url, seedWebhook('hey -z 10s -q 10 -c 2 http://backend-canary.webapp:9898/'));
    const failure = await waitFor('the failure log line', () =>
      loader.logs.find((line) => line.message.startsWith('command failed')),
    );
    expect(failure.message).toMatch(/the mesh simulator refused the load job \(HTTP 400\): .*rate must be/);
    expect(simulator.calls).toHaveLength(1);
  });

  it('refuses a hey without -q for the simulator (no rate to simulate), in the log', async () => {
    const [loader, simulator] = await start();
    await postPayload(loader.url, seedWebhook('hey -z 10s -c 2 http://backend-canary.webapp:9898/'));
    const failure = await waitFor('the failure log line', () =>
      loader.logs.find((line) => line.message.startsWith('command failed')),
    );
    expect(failure.message).toMatch(/needs a rate/);
    expect(simulator.calls).toEqual([]);
  });
});
