import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import {
  answer,
  closeLoopbackServer,
  closeLoopbackServers,
  dripFeed,
  neverAnswer,
  selfSignedCertificate,
  startLoopbackServer,
  type Respond,
} from '../testing/loopback-server.ts';
import { boundedExchange, type BoundedRequest } from './bounded-exchange.ts';

afterEach(closeLoopbackServers);

function get(url: string, bounds: Partial<BoundedRequest> = {}): BoundedRequest {
  return { method: 'GET', url, deadlineMs: 2_000, maxBodyBytes: 1024, ...bounds };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('boundedExchange answers', () => {
  it('returns status, headers and body', async () => {
    const server = await startLoopbackServer(answer(503, 'busy'));
    const result = await boundedExchange(get(server.url));
    expect(result).toMatchObject({ kind: 'response', status: 503, body: 'busy' });
    expect(result.kind === 'response' && result.headers['content-type']).toBe('text/plain');
  });

  it('POSTs the body with its length and the given headers', async () => {
    const server = await startLoopbackServer(answer(200));
    const body = JSON.stringify({ name: 'podinfo', note: 'ünïcode' });
    await boundedExchange({
      ...get(server.url),
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', body });
    expect(server.requests[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });
});

describe('one deadline for the whole exchange', () => {
  it('ends a drip-fed answer at the deadline, not at the first byte', async () => {
    const server = await startLoopbackServer(dripFeed(50));
    const { value, ms } = await timed(boundedExchange(get(server.url, { deadlineMs: 400 })));
    expect(value).toEqual({ kind: 'failure', reason: 'TimedOut', message: 'timed out after 0.4 s (reading the body)' });
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(1_400);
  });

  it('ends a server that never answers at the deadline', async () => {
    const server = await startLoopbackServer(neverAnswer);
    const { value, ms } = await timed(boundedExchange(get(server.url, { deadlineMs: 300 })));
    expect(value).toMatchObject({ reason: 'TimedOut', message: 'timed out after 0.3 s (waiting for the headers)' });
    expect(ms).toBeLessThan(1_300);
  });

  it('refuses deadlines a timer cannot hold', async () => {
    for (const deadlineMs of [0, -1, 1.5, 2 ** 31, Number.POSITIVE_INFINITY]) {
      expect(await boundedExchange(get('http://127.0.0.1:1/', { deadlineMs }))).toMatchObject({
        reason: 'InvalidRequest',
        message: expect.stringContaining('is not between 1 ms and 2147483647 ms'),
      });
    }
  });
});

describe('body size cap', () => {
  it('refuses an answer whose declared length exceeds the cap', async () => {
    const server = await startLoopbackServer(answer(200, 'x'.repeat(2048)));
    expect(await boundedExchange(get(server.url))).toEqual({
      kind: 'failure',
      reason: 'BodyTooLarge',
      message: 'answer larger than 1024 bytes',
    });
  });

  it('refuses a chunked answer once it exceeds the cap, without reading the rest', async () => {
    let written = 0;
    const server = await startLoopbackServer((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => {
        written += 512;
        response.write('y'.repeat(512));
      }, 5);
      response.on('close', () => clearInterval(timer));
    });
    const result = await boundedExchange(get(server.url));
    expect(result).toMatchObject({ reason: 'BodyTooLarge', message: 'answer larger than 1024 bytes' });
    expect(written).toBeLessThan(64 * 1024);
  });

  it('accepts an answer of exactly the cap', async () => {
    const server = await startLoopbackServer(answer(200, 'z'.repeat(1024)));
    expect(await boundedExchange(get(server.url))).toMatchObject({ kind: 'response', body: 'z'.repeat(1024) });
  });
});

describe('abort signal', () => {
  it('ends the exchange when the caller aborts', async () => {
    const server = await startLoopbackServer(dripFeed(50));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { value, ms } = await timed(boundedExchange(get(server.url, { signal: controller.signal })));
    expect(value).toEqual({ kind: 'failure', reason: 'Aborted', message: 'aborted while reading the body' });
    expect(ms).toBeLessThan(1_000);
  });

  it('does not start when already aborted', async () => {
    const server = await startLoopbackServer(answer(200));
    const result = await boundedExchange(get(server.url, { signal: AbortSignal.abort() }));
    expect(result).toMatchObject({ reason: 'Aborted' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('failures without an answer', () => {
  it('reports a refused connection with its code', async () => {
    const server = await startLoopbackServer(answer(200));
    await closeLoopbackServer(server);
    expect(await boundedExchange(get(server.url))).toMatchObject({
      kind: 'failure',
      reason: 'NetworkError',
      code: 'ECONNREFUSED',
    });
  });

  it('reports an answer cut off before its declared length', async () => {
    const server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'Content-Length': '100' });
      response.write('{"status":');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    expect(await boundedExchange(get(server.url))).toMatchObject({ reason: 'NetworkError' });
  });

  it('refuses URLs that are not http(s)', async () => {
    expect(await boundedExchange(get('ftp://example.com/'))).toMatchObject({ reason: 'InvalidRequest' });
    expect(await boundedExchange(get('not a url'))).toMatchObject({ reason: 'InvalidRequest' });
  });
});

describe('redirects', () => {
  const redirectTo =
    (code: number, location: string): Respond =>
    (_request, response) => {
      response.writeHead(code, { Location: location });
      response.end();
    };

  it('follows 302 with a GET and 307 with the same POST and body, as Go does', async () => {
    const target = await startLoopbackServer(answer(200, 'arrived'));
    const found = await startLoopbackServer(redirectTo(302, target.url));
    const temporary = await startLoopbackServer(redirectTo(307, target.url));
    const post = { method: 'POST' as const, body: '{"a":1}', headers: { 'Content-Type': 'application/json' } };
    expect(await boundedExchange({ ...get(found.url), ...post })).toMatchObject({ status: 200, body: 'arrived' });
    expect(await boundedExchange({ ...get(temporary.url), ...post })).toMatchObject({ status: 200 });
    expect(target.requests.map((request) => [request.method, request.body])).toEqual([
      ['GET', ''],
      ['POST', '{"a":1}'],
    ]);
  });

  it('does not send credentials to another host', async () => {
    const target = await startLoopbackServer(answer(200));
    const elsewhere = target.url.replace('127.0.0.1', 'localhost');
    const redirecting = await startLoopbackServer(redirectTo(301, elsewhere));
    await boundedExchange({ ...get(redirecting.url), headers: { Authorization: 'Bearer s3cret', 'X-Kept': 'yes' } });
    expect(target.requests[0]?.headers.authorization).toBeUndefined();
    expect(target.requests[0]?.headers['x-kept']).toBe('yes');
  });

  it('stops after the redirect limit and keeps one deadline for every hop', async () => {
    const loop = await startLoopbackServer((request, response) => redirectTo(302, request.path)(request, response));
    expect(await boundedExchange(get(loop.url, { maxRedirects: 3 }))).toMatchObject({ status: 302 });
    expect(loop.requests).toHaveLength(4);

    const drip = await startLoopbackServer(dripFeed(50));
    const toDrip = await startLoopbackServer(redirectTo(302, drip.url));
    const { value, ms } = await timed(boundedExchange(get(toDrip.url, { deadlineMs: 300 })));
    expect(value).toMatchObject({ reason: 'TimedOut', message: 'timed out after 0.3 s (reading the body)' });
    expect(ms).toBeLessThan(1_300);
  });
});

describe('TLS', () => {
  it('verifies certificates unless told to skip verification', async () => {
    const server = await startLoopbackServer(answer(200, 'ok'), { tls: selfSignedCertificate() });
    expect(await boundedExchange(get(server.url))).toMatchObject({ reason: 'TLSError' });
    expect(await boundedExchange(get(server.url, { insecureSkipVerify: true }))).toMatchObject({ body: 'ok' });
  });
});

describe('proxy', () => {
  /** A forward proxy on loopback: plain requests are relayed, CONNECT opens a tunnel; each is recorded. */
  async function startProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      const upstream = httpRequest(request.url ?? '', { method: request.method, headers: request.headers }, (res) => {
        response.writeHead(res.statusCode ?? 502, res.headers);
        res.pipe(response);
      });
      request.pipe(upstream);
    });
    server.on('connect', (request, socket) => {
      seen.push(`CONNECT ${request.url}`);
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
  }

  it('sends http and https requests through the proxy', async () => {
    const proxy = await startProxy();
    try {
      const plain = await startLoopbackServer(answer(200, 'plain'));
      const secure = await startLoopbackServer(answer(200, 'secure'), { tls: selfSignedCertificate() });
      expect(await boundedExchange(get(plain.url, { proxyUrl: proxy.url }))).toMatchObject({ body: 'plain' });
      expect(await boundedExchange(get(secure.url, { proxyUrl: proxy.url, insecureSkipVerify: true }))).toMatchObject({
        body: 'secure',
      });
      expect(proxy.seen).toEqual([`GET ${plain.url}`, `CONNECT ${new URL(secure.url).host}`]);
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });

  it('uses HTTP_PROXY from the environment unless NO_PROXY names the host', async () => {
    const proxy = await startProxy();
    try {
      const plain = await startLoopbackServer(answer(200, 'plain'));
      const viaProxy = { HTTP_PROXY: proxy.url, NO_PROXY: 'example.invalid' };
      expect(await boundedExchange(get(plain.url, { environment: viaProxy }))).toMatchObject({ body: 'plain' });
      expect(proxy.seen).toEqual([`GET ${plain.url}`]);
      const bypassed = { http_proxy: proxy.url, no_proxy: '127.0.0.1' };
      expect(await boundedExchange(get(plain.url, { environment: bypassed }))).toMatchObject({ body: 'plain' });
      expect(await boundedExchange(get(plain.url, { environment: {} }))).toMatchObject({ body: 'plain' });
      expect(proxy.seen).toHaveLength(1);
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });
});
