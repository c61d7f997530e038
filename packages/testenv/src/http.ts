import { request as httpRequestRaw } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

/** TLS material for https probes: the admin client cert and cluster CA, or `insecure` for self-signed components. */
export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  tls?: TlsOptions;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** One HTTP(S) request with a hard timeout; resolves for any status, rejects on connection errors. */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const send = isHttps ? httpsRequestRaw : httpRequestRaw;
  const tls = options.tls ?? {};
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        timeout: options.timeoutMs ?? 5_000,
        ...(isHttps ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 5_000}ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Result of one readiness probe: the response, or why there was none. Used in "not ready" messages. */
export type ProbeResult = { ok: true; status: number; body: string } | { ok: false; detail: string };

export async function probe(url: string, tls?: TlsOptions, timeoutMs = 2_000): Promise<ProbeResult> {
  try {
    const res = await httpRequest(url, { tls, timeoutMs });
    return res.status === 200 ? { ok: true, ...res } : { ok: false, detail: `HTTP ${res.status}: ${res.body.trim()}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
