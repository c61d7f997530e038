import { readJsonLines } from './json-lines.ts';
import type {
  ApplyOptions,
  DeleteOptions,
  KubeAccess,
  ListOptions,
  ObjectList,
  PatchOptions,
  RequestOptions,
  WatchEvent,
  WatchOptions,
} from './kube-access.ts';
import { LINNET_FIELD_MANAGER } from './kube-access.ts';
import { GoneError, KubeError, kubeErrorFromStatus, parseKubeStatus } from './kube-errors.ts';
import type { KubeStatus } from './kube-errors.ts';
import { locatorOf } from './kube-object.ts';
import type { KubeObject, ObjectLocator } from './kube-object.ts';
import type { KubeHttpRequest, KubeTransport } from './kube-transport.ts';
import { collectionPath, objectPath } from './resource-path.ts';
import { apiVersionOf } from './resource-type.ts';
import type { ResourceType } from './resource-type.ts';

export interface RestKubeAccessOptions {
  /** Field manager for every write. Default "linnet". */
  fieldManager?: string;
  /** Deadline for one non-watch request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Page size for lists. Default 500. */
  listPageSize?: number;
}

const APPLY_PATCH = 'application/apply-patch+yaml';
const MERGE_PATCH = 'application/merge-patch+json';
// Server-side conversion to metadata only (what client-go's metadata informers ask for); JSON as the fallback keeps
// an API server without the conversion working, just without the saving.
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_WATCH = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** KubeAccess over the REST API, through any KubeTransport. */
export class RestKubeAccess implements KubeAccess {
  private readonly transport: KubeTransport;
  private readonly fieldManager: string;
  private readonly requestTimeoutMs: number;
  private readonly listPageSize: number;

  constructor(transport: KubeTransport, options: RestKubeAccessOptions = {}) {
    this.transport = transport;
    this.fieldManager = options.fieldManager ?? LINNET_FIELD_MANAGER;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.listPageSize = options.listPageSize ?? 500;
  }

  async get<T extends KubeObject>(
    type: ResourceType<T>,
    locator: ObjectLocator,
    options?: RequestOptions,
  ): Promise<T | undefined> {
    const path = objectPath(type, locator);
    const { statusCode, body } = await this.exchange({ method: 'GET', path, signal: options?.signal });
    if (statusCode === 404) return undefined;
    return this.parseSuccess<T>(statusCode, body, `get ${type.kind} ${describe(locator)}`);
  }

  async list<T extends KubeObject>(type: ResourceType<T>, options: ListOptions = {}): Promise<ObjectList<T>> {
    try {
      return await this.listPages(type, options, this.listPageSize);
    } catch (error) {
      // A continue token expires when the list takes longer than the compaction window; a single unpaged list
      // cannot expire, so fall back to it rather than fail.
      if (error instanceof GoneError) return this.listPages(type, options, undefined);
      throw error;
    }
  }

  private async listPages<T extends KubeObject>(
    type: ResourceType<T>,
    options: ListOptions,
    limit: number | undefined,
  ): Promise<ObjectList<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const { statusCode, body } = await this.exchange({
        method: 'GET',
        path: collectionPath(type, options.namespace),
        query: {
          labelSelector: options.labelSelector || undefined,
          fieldSelector: options.fieldSelector || undefined,
          limit,
          continue: continueToken,
        },
        ...(options.metadataOnly && { accept: METADATA_LIST }),
        signal: options.signal,
      });
      const page = this.parseSuccess<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(
        statusCode,
        body,
        `list ${type.kind}`,
      );
      // Items in a list carry no apiVersion/kind; restore them so objects look the same as from get or watch.
      for (const item of page.items ?? []) items.push({ ...item, apiVersion: apiVersionOf(type), kind: type.kind });
      if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? '';
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  async *watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions): AsyncGenerator<WatchEvent<T>> {
    const context = `watch ${type.kind}`;
    let response;
    try {
      response = await this.transport.send({
        method: 'GET',
        path: collectionPath(type, options.namespace),
        query: {
          watch: true,
          resourceVersion: options.resourceVersion,
          allowWatchBookmarks: options.allowWatchBookmarks,
          timeoutSeconds: options.timeoutSeconds,
          labelSelector: options.labelSelector || undefined,
          fieldSelector: options.fieldSelector || undefined,
        },
        ...(options.metadataOnly && { accept: METADATA_WATCH }),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal.aborted) return;
      throw error;
    }
    if (response.statusCode !== 200) {
      const body = await response.text().catch(() => '');
      throw kubeErrorFromStatus(response.statusCode, parseKubeStatus(body), context);
    }
    const stream = response.stream();
    if (!stream) throw new KubeError('InvalidResponse', `${context}: response has no body`, response.statusCode);
    try {
      for await (const line of readJsonLines(stream, options.signal)) {
        const event = line as { type?: string; object?: unknown };
        switch (event.type) {
          case 'ADDED':
          case 'MODIFIED':
          case 'DELETED':
            yield { type: event.type, object: event.object as T };
            break;
          case 'BOOKMARK':
            yield {
              type: 'BOOKMARK',
              resourceVersion: (event.object as KubeObject | undefined)?.metadata?.resourceVersion ?? '',
            };
            break;
          case 'ERROR': {
            const status = event.object as KubeStatus | undefined;
            throw kubeErrorFromStatus(status?.code ?? 500, status, context);
          }
          default:
            throw new KubeError('InvalidResponse', `${context}: unexpected event type ${String(event.type)}`);
        }
      }
    } catch (error) {
      if (options.signal.aborted) return;
      if (error instanceof KubeError) throw error;
      throw new KubeError('Unavailable', `${context}: ${errorMessage(error)}`, undefined, { cause: error });
    }
  }

  async create<T extends KubeObject>(type: ResourceType<T>, object: T, options?: RequestOptions): Promise<T> {
    const body = withTypeMeta(type, object);
    const namespace = body.metadata?.namespace;
    const { statusCode, body: answer } = await this.exchange({
      method: 'POST',
      path: collectionPath(type, namespace),
      query: { fieldManager: this.fieldManager },
      body: JSON.stringify(body),
      signal: options?.signal,
    });
    return this.parseSuccess<T>(statusCode, answer, `create ${type.kind} ${describeObject(body)}`);
  }

  async apply<T extends KubeObject>(type: ResourceType<T>, object: T, options: ApplyOptions = {}): Promise<T> {
    const body = withTypeMeta(type, object);
    const locator = locatorOf(body);
    const { statusCode, body: answer } = await this.exchange({
      method: 'PATCH',
      path: objectPath(type, locator),
      query: { fieldManager: options.fieldManager ?? this.fieldManager, force: options.force ?? true },
      // JSON is YAML, so the apply-patch content type accepts it unchanged.
      body: JSON.stringify(body),
      contentType: APPLY_PATCH,
      signal: options.signal,
    });
    return this.parseSuccess<T>(statusCode, answer, `apply ${type.kind} ${describe(locator)}`);
  }

  replace<T extends KubeObject>(type: ResourceType<T>, object: T, options?: RequestOptions): Promise<T> {
    return this.put(type, object, undefined, options);
  }

  replaceStatus<T extends KubeObject>(type: ResourceType<T>, object: T, options?: RequestOptions): Promise<T> {
    return this.put(type, object, 'status', options);
  }

  private async put<T extends KubeObject>(
    type: ResourceType<T>,
    object: T,
    subresource: string | undefined,
    options?: RequestOptions,
  ): Promise<T> {
    const body = withTypeMeta(type, object);
    const locator = locatorOf(body);
    const what = `${subresource ? `update ${subresource} of` : 'replace'} ${type.kind} ${describe(locator)}`;
    // Without a resourceVersion the server would overwrite unconditionally and a concurrent change would be lost.
    if (!body.metadata?.resourceVersion) {
      throw new KubeError('MissingResourceVersion', `${what}: metadata.resourceVersion is required`);
    }
    const { statusCode, body: answer } = await this.exchange({
      method: 'PUT',
      path: objectPath(type, locator, subresource),
      query: { fieldManager: this.fieldManager },
      body: JSON.stringify(body),
      signal: options?.signal,
    });
    return this.parseSuccess<T>(statusCode, answer, what);
  }

  async mergePatch<T extends KubeObject>(
    type: ResourceType<T>,
    locator: ObjectLocator,
    patch: Readonly<Record<string, unknown>>,
    options: PatchOptions = {},
  ): Promise<T> {
    const { statusCode, body } = await this.exchange({
      method: 'PATCH',
      path: objectPath(type, locator, options.subresource),
      query: { fieldManager: this.fieldManager },
      body: JSON.stringify(patch),
      contentType: MERGE_PATCH,
      signal: options.signal,
    });
    return this.parseSuccess<T>(statusCode, body, `patch ${type.kind} ${describe(locator)}`);
  }

  async delete(type: ResourceType, locator: ObjectLocator, options: DeleteOptions = {}): Promise<boolean> {
    const deleteOptions = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: options.propagationPolicy,
      preconditions: options.preconditions,
    };
    const { statusCode, body } = await this.exchange({
      method: 'DELETE',
      path: objectPath(type, locator),
      body: JSON.stringify(deleteOptions),
      signal: options.signal,
    });
    if (statusCode === 404) return false;
    this.parseSuccess<unknown>(statusCode, body, `delete ${type.kind} ${describe(locator)}`);
    return true;
  }

  /** One bounded request: the caller's signal and the request deadline both end it. */
  private async exchange(request: KubeHttpRequest): Promise<{ statusCode: number; body: string }> {
    const deadline = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    try {
      const response = await this.transport.send({ ...request, signal });
      return { statusCode: response.statusCode, body: await response.text() };
    } catch (error) {
      if (deadline.aborted && !request.signal?.aborted) {
        throw new KubeError(
          'Timeout',
          `${request.method} ${request.path}: no answer within ${this.requestTimeoutMs} ms`,
          undefined,
          { cause: error },
        );
      }
      if (error instanceof KubeError) throw error;
      if (request.signal?.aborted) {
        throw new KubeError('Aborted', `${request.method} ${request.path}: aborted`, undefined, { cause: error });
      }
      throw new KubeError('Unavailable', `${request.method} ${request.path}: ${errorMessage(error)}`, undefined, {
        cause: error,
      });
    }
  }

  private parseSuccess<T>(statusCode: number, body: string, context: string): T {
    if (statusCode < 200 || statusCode >= 300) throw kubeErrorFromStatus(statusCode, parseKubeStatus(body), context);
    try {
      return JSON.parse(body) as T;
    } catch (error) {
      throw new KubeError('InvalidResponse', `${context}: response is not JSON`, statusCode, { cause: error });
    }
  }
}

/** Fill apiVersion/kind from the resource type; a contradicting value is a programming error. */
function withTypeMeta<T extends KubeObject>(type: ResourceType<T>, object: T): T {
  const apiVersion = apiVersionOf(type);
  if ((object.apiVersion && object.apiVersion !== apiVersion) || (object.kind && object.kind !== type.kind)) {
    throw new KubeError(
      'BadRequest',
      `object is ${object.apiVersion ?? '?'}/${object.kind ?? '?'} but the resource type is ${apiVersion}/${type.kind}`,
    );
  }
  return { ...object, apiVersion, kind: type.kind };
}

function describe(locator: ObjectLocator): string {
  return locator.namespace ? `${locator.namespace}/${locator.name}` : locator.name;
}

function describeObject(object: KubeObject): string {
  const name = object.metadata?.name ?? `${object.metadata?.generateName ?? ''}*`;
  return object.metadata?.namespace ? `${object.metadata.namespace}/${name}` : name;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
