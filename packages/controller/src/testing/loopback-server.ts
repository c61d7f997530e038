/**
 * Test support (not shipped behaviour): real HTTP(S) servers on free loopback ports that record each request and
 * answer as a test tells them (including badly: never, one byte a second, too much), and a self-signed certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Respond = (request: RecordedRequest, response: ServerResponse) => void;

export interface LoopbackServer {
  /** Base URL plus `path` (default /hook). */
  url: string;
  requests: RecordedRequest[];
  server: Server;
}

const running: Server[] = [];

/** Starts a server on 127.0.0.1; close them all with {@link closeLoopbackServers} in afterEach. */
export async function startLoopbackServer(
  respond: Respond,
  options: { tls?: { key: string; cert: string }; path?: string } = {},
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      respond(recorded, res);
    });
  };
  const server = options.tls === undefined ? createHttpServer(handler) : createHttpsServer(options.tls, handler);
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return { url: `${scheme}://127.0.0.1:${port}${options.path ?? '/hook'}`, requests, server };
}

export async function closeLoopbackServers(): Promise<void> {
  for (const server of running.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Closes one server so that its port refuses connections. */
export async function closeLoopbackServer(target: LoopbackServer): Promise<void> {
  running.splice(running.indexOf(target.server), 1);
  target.server.closeAllConnections();
  await new Promise<void>((resolve) => target.server.close(() => resolve()));
}

export function answer(code: number, body = '', contentType = 'text/plain'): Respond {
  return (_request, response) => {
    response.writeHead(code, { 'Content-Type': contentType });
    response.end(body);
  };
}

/** Sends the headers at once, then one byte every `everyMs` and never finishes (until the client gives up). */
export function dripFeed(everyMs: number): Respond {
  return (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    const timer = setInterval(() => response.write(' '), everyMs);
    response.on('close', () => clearInterval(timer));
  };
}

/** Accepts the request and never answers. */
export const neverAnswer: Respond = () => undefined;

/** A certificate for 127.0.0.1, valid for a day. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linnet-loopback-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const pair = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}
