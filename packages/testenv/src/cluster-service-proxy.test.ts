import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startClusterServiceProxy, type ClusterServiceProxy } from './cluster-service-proxy.ts';

// The proxy between a client speaking to it as an HTTP proxy (absolute URL as the request target, as the controller's
// bounded HTTP exchange does under HTTP_PROXY) and a local server standing in for an in-cluster Service.
describe('cluster service proxy', () => {
  let proxy: ClusterServiceProxy;
  const received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
  const local = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      response.writeHead(202).end('accepted');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    proxy = await startClusterServiceProxy();
    proxy.route('backend-testloader.webapp:8080', `http://127.0.0.1:${(local.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => local.close(resolve));
  });

  /** One request through the proxy: the absolute URL as the request target. */
  function viaProxy(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body = '',
  ): Promise<{ status: number; body: string }> {
    const { port } = new URL(proxy.url);
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, method, path: url, headers }, (answer) => {
        let text = '';
        answer.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: text }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  it('forwards a routed in-cluster name with path, headers and body', async () => {
    const answer = await viaProxy(
      'POST',
      'http://backend-testloader.webapp:8080/hook?x=1',
      { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      '{"name":"backend"}',
    );
    expect(answer.status).toBe(202);
    expect(received).toEqual([
      expect.objectContaining({ method: 'POST', url: '/hook?x=1', body: '{"name":"backend"}' }),
    ]);
    expect(received[0]?.headers.authorization).toBe('Bearer t');
    expect(proxy.requests().get('backend-testloader.webapp:8080')).toBe(1);
  });

  it('answers 502 naming an unrouted host', async () => {
    const answer = await viaProxy('GET', 'http://other.webapp:9898/');
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('other.webapp:9898');
  });
});
