import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { CliError } from '../exit-codes.ts';

// A small REST client over @kubernetes/client-node's credentials (tokens, client certificates, exec plugins) and
// TLS. The CLI talks to a handful of endpoints, so paths are built by hand rather than through generated APIs.

export interface ConnectionOptions {
  /** Path to a kubeconfig; default $KUBECONFIG, then ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's current one. */
  context?: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/** An API error with the HTTP status and the Status reason (NotFound, Conflict, Expired, ...). */
export class ApiError extends CliError {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
  }
}

function apiErrorFrom(status: number, text: string, what: string): ApiError {
  try {
    const body = JSON.parse(text) as { reason?: string; message?: string };
    return new ApiError(status, body.reason ?? String(status), body.message ?? `${what}: HTTP ${status}`);
  } catch {
    return new ApiError(status, String(status), `${what}: HTTP ${status} ${text.slice(0, 200)}`);
  }
}

export class ClusterClient {
  private readonly config: KubeConfig;
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly server: string;

  private constructor(config: KubeConfig, server: string) {
    this.config = config;
    this.server = server;
  }

  static connect(options: ConnectionOptions = {}): ClusterClient {
    const config = new KubeConfig();
    try {
      if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
      else config.loadFromDefault();
    } catch (error) {
      throw new CliError(`cannot load the kubeconfig: ${(error as Error).message}`);
    }
    if (options.context) {
      if (!config.getContextObject(options.context)) {
        throw new CliError(`context "${options.context}" is not in the kubeconfig`);
      }
      config.setCurrentContext(options.context);
    }
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new CliError('the kubeconfig has no current cluster (use --kubeconfig or --context)');
    return new ClusterClient(config, cluster.server.replace(/\/+$/, ''));
  }

  /** The namespace of the current context, as kubectl uses it when -n is not given. */
  contextNamespace(): string {
    return this.config.getContextObject(this.config.getCurrentContext())?.namespace || 'default';
  }

  private async send(method: keyof typeof HttpMethod, path: string, options: RequestOptions = {}) {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), HttpMethod[method]);
    context.setHeaderParam('Accept', 'application/json');
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    if (options.signal) context.setSignal(options.signal);
    await this.config.applySecurityAuthentication(context);
    try {
      return await this.http.send(context).toPromise();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new CliError(`cannot reach the cluster at ${this.server}: ${(error as Error).message}${cause}`);
    }
  }

  async request<T>(method: keyof typeof HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await response.body.text();
    if (response.httpStatusCode >= 400) throw apiErrorFrom(response.httpStatusCode, text, `${method} ${path}`);
    return JSON.parse(text) as T;
  }

  /** The events of a watch until the server ends it or `signal` aborts. */
  async *watch(path: string, query: RequestOptions['query'], signal: AbortSignal): AsyncGenerator<WatchEvent> {
    let response: Awaited<ReturnType<ClusterClient['send']>>;
    try {
      response = await this.send('GET', path, { query: { ...query, watch: true }, signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (response.httpStatusCode >= 400) {
      throw apiErrorFrom(response.httpStatusCode, await response.body.text(), `watch ${path}`);
    }
    const stream = response.body.stream();
    if (!stream) throw new CliError(`watch ${path}: the response has no body`);
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const chunk = await reader.read().catch((error: unknown) => {
          if (signal.aborted) return { done: true as const, value: undefined };
          throw error;
        });
        if (chunk.done) return;
        buffered += decoder.decode(chunk.value, { stream: true });
        for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) yield JSON.parse(line) as WatchEvent;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
}
