import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { KubeError } from './kube-errors.ts';
import type { KubeHttpRequest, KubeHttpResponse, KubeTransport } from './kube-transport.ts';

/**
 * Load credentials the way kubectl does: an explicit kubeconfig path, else $KUBECONFIG / ~/.kube/config, else the
 * in-cluster service account.
 */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const config = new KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  return config;
}

/**
 * A transport over @kubernetes/client-node: it contributes authentication (tokens, client certificates, exec
 * plugins), TLS and connection pooling; request building and error handling stay ours.
 */
export class ClientNodeTransport implements KubeTransport {
  private readonly config: KubeConfig;
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly server: string;

  constructor(config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new KubeError('Unavailable', 'kubeconfig has no current cluster');
    this.config = config;
    this.server = cluster.server.replace(/\/+$/, '');
  }

  async send(request: KubeHttpRequest): Promise<KubeHttpResponse> {
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), HttpMethod[request.method]);
    context.setHeaderParam('Accept', request.accept ?? 'application/json');
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(request.body);
    }
    if (request.signal) context.setSignal(request.signal);
    await this.config.applySecurityAuthentication(context);
    try {
      const response = await this.http.send(context).toPromise();
      return {
        statusCode: response.httpStatusCode,
        text: () => response.body.text(),
        stream: () => response.body.stream(),
      };
    } catch (error) {
      if (request.signal?.aborted) {
        throw new KubeError('Aborted', `${request.method} ${request.path}: aborted`, undefined, { cause: error });
      }
      const detail = error instanceof Error ? (causeMessage(error) ?? error.message) : String(error);
      throw new KubeError('Unavailable', `${request.method} ${request.path}: ${detail}`, undefined, { cause: error });
    }
  }
}

// fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, certificate errors) in `cause`.
function causeMessage(error: Error): string | undefined {
  const cause = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : undefined;
}
