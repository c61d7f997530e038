import { request as httpRequest, type IncomingMessage, type RequestOptions as NodeRequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../exit-codes.ts';

// A small REST client over @kubernetes/client-node's credentials (tokens, client certificates, exec plugins) and
// TLS. The CLI talks to a handful of endpoints, so paths are built by hand rather than through generated APIs.
// Requests go through node:http(s), not client-node's fetch: its undici needs Node 22, and the bundled CLI runs on
// Node 20 (packages/cli/scripts/bundle.ts leaves undici out).

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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

  private async send(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const requestOptions: NodeRequestOptions & { headers: Record<string, string> } = {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined && { 'Content-Type': options.contentType ?? 'application/json' }),
      },
      ...(options.signal && { signal: options.signal }),
    };
    try {
      await this.config.applyToHTTPSOptions(requestOptions);
      return await new Promise<IncomingMessage>((resolve, reject) => {
        const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
        const request = send(url, requestOptions, resolve);
        request.once('error', reject);
        request.end(body);
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new CliError(`cannot reach the cluster at ${this.server}: ${(error as Error).message}`);
    }
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await readText(response);
    const status = response.statusCode ?? 0;
    if (status >= 400) throw apiErrorFrom(status, text, `${method} ${path}`);
    return JSON.parse(text) as T;
  }

  /** The events of a watch until the server ends it or `signal` aborts. */
  async *watch(path: string, query: RequestOptions['query'], signal: AbortSignal): AsyncGenerator<WatchEvent> {
    let response: IncomingMessage;
    try {
      response = await this.send('GET', path, { query: { ...query, watch: true }, signal });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const status = response.statusCode ?? 0;
    if (status >= 400) throw apiErrorFrom(status, await readText(response), `watch ${path}`);
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        buffered += decoder.decode(chunk, { stream: true });
        for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) yield JSON.parse(line) as WatchEvent;
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      response.destroy();
    }
  }
}

async function readText(response: IncomingMessage): Promise<string> {
  let text = '';
  response.setEncoding('utf8');
  for await (const chunk of response as AsyncIterable<string>) text += chunk;
  return text;
}
