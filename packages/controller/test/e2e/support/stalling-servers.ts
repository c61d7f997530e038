// Misbehaving endpoints on the loopback interface, as a new user meets them: a webhook that never answers, a port
// nothing listens on, and a "Prometheus" that sends its headers and then one byte per second. Each counts the
// requests it got, so a test can wait until a Canary's check is really stuck on it.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StallingServer {
  readonly url: string;
  /** Requests received so far. */
  requests(): number;
  /** Connections still open. */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

/** Accepts every request and never answers it. */
export function startHangingServer(): Promise<StallingServer> {
  return listen(() => undefined);
}

/**
 * Answers every request with 200 and a valid Prometheus vector, one byte per second, led by `paddingBytes` spaces:
 * the answer starts at once and takes minutes to finish.
 */
export function startDripServer(paddingBytes = 600): Promise<StallingServer> {
  const body = `${' '.repeat(paddingBytes)}{"status":"success","data":{"resultType":"vector","result":[]}}`;
  return listen((response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= body.length || response.destroyed) {
        clearInterval(timer);
        response.end();
        return;
      }
      response.write(body[sent++]);
    }, 1_000);
    response.on('close', () => clearInterval(timer));
  });
}

/** A URL on a loopback port nothing listens on (bound, then closed). */
export async function closedPortUrl(path = '/'): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}

async function listen(respond: (response: ServerResponse) => void): Promise<StallingServer> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    request.resume();
    respond(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    openConnections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface HeldWebhook extends StallingServer {
  /** Answers every held request, and every later one, with 200. */
  release(): void;
}

/** A webhook that holds every request until `release()`, then answers 200 (a gate a test opens). */
export async function startHeldWebhook(): Promise<HeldWebhook> {
  const held: ServerResponse[] = [];
  let released = false;
  const answer = (response: ServerResponse): void => {
    if (!response.destroyed) response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
  };
  const server = await listen((response) => (released ? answer(response) : held.push(response)));
  return {
    ...server,
    release: () => {
      released = true;
      for (const response of held.splice(0)) answer(response);
    },
  };
}
