// The one seam between Linnet and an HTTP client library: everything above it speaks REST paths and JSON.

export type KubeHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeHttpRequest {
  method: KubeHttpMethod;
  /** Path below the API server's URL, e.g. "/api/v1/namespaces/a/configmaps". */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as-is; JSON bodies are serialised by the caller. */
  body?: string;
  contentType?: string;
  /** Accept header; default "application/json". */
  accept?: string;
  signal?: AbortSignal;
}

export interface KubeHttpResponse {
  statusCode: number;
  text(): Promise<string>;
  /** The body as a byte stream (used by watches); null when there is none. */
  stream(): ReadableStream<Uint8Array> | null;
}

export interface KubeTransport {
  /** Resolves once the response headers arrive; network failures reject with a KubeError('Unavailable'|'Aborted'). */
  send(request: KubeHttpRequest): Promise<KubeHttpResponse>;
}
