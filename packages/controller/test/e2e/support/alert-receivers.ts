// Stand-ins for chat services on loopback: one server records every alert by path (the path names the service),
// answers 200, except under /hang (never answers) and /fail (answers 500); and a forward proxy that passes requests
// on and records which hosts it reached.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedAlert {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** True when it came through the forward proxy. */
  proxied: boolean;
}

export interface AlertReceiver {
  url(path: string): string;
  received(path: string): ReceivedAlert[];
  /** Requests on `path` not answered yet. */
  open(path: string): number;
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const received: ReceivedAlert[] = [];
  const open = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // Recorded with an empty body; the assertions on its shape fail then.
      }
      received.push({ path, headers: request.headers, body, proxied: request.headers['x-via-test-proxy'] === '1' });
      if (path.startsWith('/hang')) {
        open.set(path, (open.get(path) ?? 0) + 1);
        response.on('close', () => open.set(path, (open.get(path) ?? 1) - 1));
        return;
      }
      response.writeHead(path.startsWith('/fail') ? 500 : 200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await listen(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${base}${path}`,
    received: (path) => received.filter((alert) => alert.path === path),
    open: (path) => open.get(path) ?? 0,
    close: () => close(server),
  };
}

export interface ForwardProxy {
  url: string;
  /** host:port of every request passed on. */
  forwarded(): string[];
  close(): Promise<void>;
}

/** An HTTP forward proxy (absolute-form requests), marking what it passes on. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const forwarded: string[] = [];
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '');
    forwarded.push(target.host);
    const upstream = httpRequest(
      target,
      { method: request.method, headers: { ...request.headers, 'x-via-test-proxy': '1' } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded: () => [...forwarded],
    close: () => close(server),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
