import type { KubeObject, ObjectLocator } from './kube-object.ts';
import type { ResourceType } from './resource-type.ts';

/** The field manager Linnet writes with; `managedFields` show it on every object Linnet touched. */
export const LINNET_FIELD_MANAGER = 'linnet';

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ListOptions extends RequestOptions {
  /** Omit (or leave empty) to list across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Ask for PartialObjectMetadata: each object carries only apiVersion, kind and metadata (no spec, data or status),
   * for caches that need to know what exists and when it changed, not what it holds.
   */
  metadataOnly?: boolean;
}

export interface ObjectList<T extends KubeObject> {
  items: T[];
  /** The collection's resourceVersion, to start a watch from. */
  resourceVersion: string;
}

export interface WatchOptions extends ListOptions {
  /** Deliver changes after this version (from a list, a previous event or a bookmark). */
  resourceVersion: string;
  /** Ask the server to end the watch after this many seconds (it then ends normally). */
  timeoutSeconds?: number;
  /** Ask for BOOKMARK events, which advance the resourceVersion without an object change. */
  allowWatchBookmarks?: boolean;
  /** Aborting ends the iteration quietly. */
  signal: AbortSignal;
}

export type WatchEvent<T extends KubeObject> =
  { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T } | { type: 'BOOKMARK'; resourceVersion: string };

export interface ApplyOptions extends RequestOptions {
  /** Default "linnet". */
  fieldManager?: string;
  /** Take over fields owned by other managers. Default true: Linnet owns the objects it applies. */
  force?: boolean;
}

export interface DeleteOptions extends RequestOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only if the object is still this one. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface PatchOptions extends RequestOptions {
  /** e.g. "status" or "scale". */
  subresource?: string;
}

/**
 * Linnet's whole view of the Kubernetes API. Methods throw KubeError subclasses (ConflictError, NotFoundError,
 * AlreadyExistsError, GoneError) with a machine `reason`. Objects are plain JSON as the server sent them.
 */
export interface KubeAccess {
  /** The object, or undefined when it does not exist. */
  get<T extends KubeObject>(
    type: ResourceType<T>,
    locator: ObjectLocator,
    options?: RequestOptions,
  ): Promise<T | undefined>;

  /** All matching objects (pages are followed), with the version to watch from. */
  list<T extends KubeObject>(type: ResourceType<T>, options?: ListOptions): Promise<ObjectList<T>>;

  /**
   * Changes after `options.resourceVersion`. The iteration ends when the server closes the watch or the signal
   * aborts; it throws GoneError when that version is too old (list again), other KubeErrors on failure.
   */
  watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions): AsyncIterable<WatchEvent<T>>;

  /** POST; throws AlreadyExistsError if the name is taken. */
  create<T extends KubeObject>(type: ResourceType<T>, object: T, options?: RequestOptions): Promise<T>;

  /**
   * Server-side apply: `object` states every field Linnet owns; fields Linnet owned before and left out are removed.
   * Creates the object when missing.
   */
  apply<T extends KubeObject>(type: ResourceType<T>, object: T, options?: ApplyOptions): Promise<T>;

  /** PUT guarded by metadata.resourceVersion; throws ConflictError when the object changed meanwhile. */
  replace<T extends KubeObject>(type: ResourceType<T>, object: T, options?: RequestOptions): Promise<T>;

  /**
   * PUT to the status subresource guarded by metadata.resourceVersion (required); throws ConflictError when the
   * object changed since it was read, so the caller re-reads and decides again.
   */
  replaceStatus<T extends KubeObject>(type: ResourceType<T>, object: T, options?: RequestOptions): Promise<T>;

  /** JSON merge patch (RFC 7386), e.g. `{ spec: { replicas: 0 } }`. */
  mergePatch<T extends KubeObject>(
    type: ResourceType<T>,
    locator: ObjectLocator,
    patch: Readonly<Record<string, unknown>>,
    options?: PatchOptions,
  ): Promise<T>;

  /** True when deleted (or deletion started), false when it did not exist. */
  delete(type: ResourceType, locator: ObjectLocator, options?: DeleteOptions): Promise<boolean>;
}
