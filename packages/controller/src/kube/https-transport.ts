// A KubeTransport over node:https with a keep-alive agent: what Linnet needs of an HTTP client for the API server,
// without loading a client library (see kubeconfig.ts for why).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { KubeError } from './kube-errors.ts';
import type { KubeEndpoint } from './kubeconfig.ts';
import type { KubeHttpRequest, KubeHttpResponse, KubeTransport } from './kube-transport.ts';

export class HttpsTransport implements KubeTransport {
  private readonly endpoint: KubeEndpoint;
  private readonly server: string;
  private readonly agent: Agent;

  constructor(endpoint: KubeEndpoint) {
    this.endpoint = endpoint;
    this.server = endpoint.server.replace(/\/+$/, '');
    this.agent = new Agent({
      keepAlive: true,
      ca: endpoint.ca,
      cert: endpoint.cert,
      key: endpoint.key,
      rejectUnauthorized: !endpoint.insecureSkipTlsVerify,
    });
  }

  send(request: KubeHttpRequest): Promise<KubeHttpResponse> {
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: request.accept ?? 'application/json' };
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      // Node frames a DELETE body neither by length nor by chunks unless told: the server would read it as the
      // start of the next request on the kept-alive connection.
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const token = this.endpoint.token?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    const secure = url.protocol === 'https:';
    const what = `${request.method} ${request.path}`;
    return new Promise((resolve, reject) => {
      const onResponse = (response: IncomingMessage): void => {
        resolve({
          statusCode: response.statusCode ?? 0,
          text: () => readText(response),
          stream: () => Readable.toWeb(response) as ReadableStream<Uint8Array>,
        });
      };
      const options = { method: request.method, headers, signal: request.signal };
      const outgoing = secure
        ? httpsRequest(url, { ...options, agent: this.agent }, onResponse)
        : httpRequest(url, options, onResponse);
      outgoing.on('error', (error) => {
        reject(
          request.signal?.aborted
            ? new KubeError('Aborted', `${what}: aborted`, undefined, { cause: error })
            : new KubeError('Unavailable', `${what}: ${error.message}`, undefined, { cause: error }),
        );
      });
      outgoing.end(request.body);
    });
  }
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
