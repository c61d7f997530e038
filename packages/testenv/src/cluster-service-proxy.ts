import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Cluster DNS for a controller that runs as a local process. The local cluster's pods are kwok fakes, so an
 * in-cluster URL such as http://backend-testloader.webapp:8080/ has nothing behind it; the same program runs as a
 * local process instead. Started with `HTTP_PROXY=<proxy url>` and `NO_PROXY=127.0.0.1,localhost`, the
 * controller's HTTP calls to cluster names come here (its bounded HTTP exchange follows those variables, as Flagger's
 * Go client does; calls to the API server and Prometheus on 127.0.0.1 do not), and each routed
 * `<service>.<namespace>:<port>` is forwarded to its local process with method, path, headers and body unchanged.
 * Any other host gets 502 naming it.
 */
export interface ClusterServiceProxy {
  /** e.g. http://127.0.0.1:40123, for HTTP_PROXY. */
  readonly url: string;
  /** Sends requests for `host` ("<service>.<namespace>:<port>") to `target` (e.g. http://127.0.0.1:41234). */
  route(host: string, target: string): void;
  /** Hosts asked for so far, with how many requests each (routed or not). */
  requests(): ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The environment that sends a child process's HTTP calls to cluster names through `proxy`. */
export function clusterServiceProxyEnv(proxy: Pick<ClusterServiceProxy, 'url'>): Record<string, string> {
  const noProxy = '127.0.0.1,localhost,::1';
  return {
    HTTP_PROXY: proxy.url,
    http_proxy: proxy.url,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  };
}

function reply(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: message }));
}

/** "backend-testloader.webapp:8080"; the port defaults to the scheme's. */
function hostOf(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

export async function startClusterServiceProxy(): Promise<ClusterServiceProxy> {
  const routes = new Map<string, URL>();
  const seen = new Map<string, number>();

  const forward = (incoming: IncomingMessage, response: ServerResponse): void => {
    let requested: URL;
    try {
      // A client talking to a proxy sends the absolute URL as the request target.
      requested = new URL(incoming.url ?? '');
    } catch {
      reply(response, 400, `not a proxy request: ${incoming.method} ${incoming.url}`);
      return;
    }
    const host = hostOf(requested);
    seen.set(host, (seen.get(host) ?? 0) + 1);
    const target = routes.get(host);
    if (!target) {
      reply(
        response,
        502,
        `no local process stands in for ${host} (routed: ${[...routes.keys()].join(', ') || 'none'})`,
      );
      return;
    }
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: `${requested.pathname}${requested.search}`,
        headers: { ...incoming.headers, host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) reply(response, 502, `${host} → ${target.origin}: ${error.message}`);
      else response.destroy(error);
    });
    incoming.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    route(host, target) {
      routes.set(host.toLowerCase(), new URL(target));
    },
    requests: () => new Map(seen),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
