import { readFileSync } from 'node:fs';
import { httpRequest, type TlsOptions } from './http.ts';

/** A Kubernetes API error: `status` is the HTTP code (422 for validation errors, 404, 409, ...). */
export class KubeRequestError extends Error {
  readonly status: number;
  readonly body: string;
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path}: HTTP ${status}: ${body.slice(0, 2_000)}`);
    this.name = 'KubeRequestError';
    this.status = status;
    this.body = body;
  }
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * The few raw API calls the harness itself needs (CRD apply, discovery, fake node), with the admin client cert.
 * Raw paths keep the harness free of discovery caches and client library quirks; tests use @kubernetes/client-node.
 */
export class AdminClient {
  readonly server: string;
  private readonly tls: TlsOptions;

  constructor(server: string, files: { caCert: string; adminCert: string; adminKey: string }) {
    this.server = server;
    this.tls = {
      ca: readFileSync(files.caCert, 'utf8'),
      cert: readFileSync(files.adminCert, 'utf8'),
      key: readFileSync(files.adminKey, 'utf8'),
    };
  }

  get tlsOptions(): TlsOptions {
    return this.tls;
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
    const res = await httpRequest(`${this.server}${path}`, {
      method,
      tls: this.tls,
      timeoutMs: 30_000,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status < 200 || res.status >= 300) throw new KubeRequestError(method, path, res.status, res.body);
    return res.body === '' ? undefined : (JSON.parse(res.body) as unknown);
  }

  get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }

  /** GET that maps 404 to undefined. */
  async find(path: string): Promise<unknown> {
    try {
      return await this.get(path);
    } catch (error) {
      if (error instanceof KubeRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  create(collectionPath: string, object: KubeObject): Promise<unknown> {
    return this.request('POST', collectionPath, object);
  }

  /** Server-side apply: no last-applied annotation, so the ~377 KB DestinationRule CRD fits. */
  serverSideApply(objectPath: string, object: KubeObject): Promise<unknown> {
    return this.request(
      'PATCH',
      `${objectPath}?fieldManager=linnet-testenv&force=true`,
      object,
      'application/apply-patch+yaml',
    );
  }

  delete(objectPath: string): Promise<unknown> {
    return this.request('DELETE', objectPath);
  }
}
