// Records every version of the objects of one type in a namespace (optionally one name) as the API server
// delivers them: a list, then a watch that is resumed when the server ends it. Used to assert sequences (the
// VirtualService routes a run went through, the weights of a Canary across a controller restart) instead of
// sampling them at a few moments.
import type { KubeAccess, KubeObject, ResourceType } from '../../../src/kube/index.ts';
import { GoneError } from '../../../src/kube/index.ts';

export interface RecordedVersion<T> {
  /** When the test saw it (ms since the epoch). */
  readonly seenAtMs: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'LISTED';
  readonly object: T;
}

export interface ObjectRecorder<T> {
  /** Every version seen so far, oldest first. */
  readonly versions: readonly RecordedVersion<T>[];
  /** The newest version of the object named `name`, if any was seen and it was not deleted since. */
  latest(name: string): T | undefined;
  /** Called with each new version (after it is recorded). Returns an unsubscribe function. */
  onVersion(listener: (version: RecordedVersion<T>) => void): () => void;
  stop(): Promise<void>;
}

export interface ObjectRecorderOptions<T extends KubeObject> {
  access: KubeAccess;
  type: ResourceType<T>;
  namespace: string;
  /** Record only this object. */
  name?: string;
}

/** Starts recording; resolves once the initial list is recorded and the watch is open. */
export async function recordObjects<T extends KubeObject>(
  options: ObjectRecorderOptions<T>,
): Promise<ObjectRecorder<T>> {
  const { access, type, namespace, name } = options;
  const fieldSelector = name === undefined ? undefined : `metadata.name=${name}`;
  const versions: RecordedVersion<T>[] = [];
  const listeners = new Set<(version: RecordedVersion<T>) => void>();
  const newest = new Map<string, T | undefined>();
  const abort = new AbortController();
  let lastResourceVersion = new Map<string, string>();

  const record = (kind: RecordedVersion<T>['type'], object: T): void => {
    const objectName = object.metadata?.name ?? '';
    const resourceVersion = object.metadata?.resourceVersion ?? '';
    // A relist after a broken watch repeats unchanged objects: record each resourceVersion once.
    if (kind === 'LISTED' && lastResourceVersion.get(objectName) === resourceVersion) return;
    lastResourceVersion.set(objectName, resourceVersion);
    const version: RecordedVersion<T> = { seenAtMs: Date.now(), type: kind, object };
    versions.push(version);
    newest.set(objectName, kind === 'DELETED' ? undefined : object);
    for (const listener of listeners) listener(version);
  };

  const list = async (): Promise<string> => {
    const listed = await access.list(type, { namespace, ...(fieldSelector && { fieldSelector }) });
    for (const item of listed.items) record('LISTED', item);
    return listed.resourceVersion;
  };

  let resourceVersion = await list();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        for await (const event of access.watch(type, {
          namespace,
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: 60,
          signal: abort.signal,
          ...(fieldSelector && { fieldSelector }),
        })) {
          if (event.type === 'BOOKMARK') {
            resourceVersion = event.resourceVersion || resourceVersion;
            continue;
          }
          record(event.type, event.object);
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        if (!(error instanceof GoneError)) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        lastResourceVersion = new Map(lastResourceVersion);
        resourceVersion = await list().catch(() => resourceVersion);
      }
    }
  })();

  return {
    versions,
    latest: (objectName) => newest.get(objectName),
    onVersion(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
