import type { Canary } from '@linnet/api';
import { listCanaries, watchCanaries, type Scope } from './canary-resources.ts';
import { ApiError, type ClusterClient } from './cluster-client.ts';

// List, then watch, and keep going: the server ends watches after a while (resume from the last version) and
// forgets old versions (410 Gone: list again). Yields the whole set after the list and after every change.

export interface FollowOptions {
  fieldSelector?: string;
  signal: AbortSignal;
}

const keyOf = (canary: Canary): string => `${canary.metadata.namespace}/${canary.metadata.name}`;

export async function* followCanaries(
  client: ClusterClient,
  scope: Scope,
  options: FollowOptions,
): AsyncGenerator<ReadonlyMap<string, Canary>> {
  const canaries = new Map<string, Canary>();
  let resourceVersion: string | undefined;
  while (!options.signal.aborted) {
    if (resourceVersion === undefined) {
      const list = await listCanaries(client, scope, options.fieldSelector);
      canaries.clear();
      for (const canary of list.items) canaries.set(keyOf(canary), canary);
      resourceVersion = list.metadata?.resourceVersion ?? '';
      yield canaries;
    }
    try {
      const events = watchCanaries(client, scope, {
        resourceVersion,
        signal: options.signal,
        ...(options.fieldSelector && { fieldSelector: options.fieldSelector }),
      });
      for await (const event of events) {
        if (event.type === 'ERROR') {
          // An expired version arrives as an ERROR event carrying a 410 Status.
          resourceVersion = undefined;
          break;
        }
        const version = event.canary.metadata?.resourceVersion;
        if (version) resourceVersion = version;
        if (event.type === 'BOOKMARK') continue;
        if (event.type === 'DELETED') canaries.delete(keyOf(event.canary));
        else canaries.set(keyOf(event.canary), event.canary);
        yield canaries;
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 410)) throw error;
      resourceVersion = undefined;
    }
  }
}
