import type { Canary } from '@linnet/api';
import type { ClusterClient, WatchEvent } from './cluster-client.ts';

// The endpoints the CLI uses: Canaries (flagger.app/v1beta1) and the core Events about them.

const CANARIES = '/apis/flagger.app/v1beta1';

export interface Scope {
  /** Undefined: all namespaces. */
  namespace: string | undefined;
}

export function canariesPath(scope: Scope): string {
  return scope.namespace
    ? `${CANARIES}/namespaces/${encodeURIComponent(scope.namespace)}/canaries`
    : `${CANARIES}/canaries`;
}

export function canaryPath(namespace: string, name: string, subresource?: 'status'): string {
  const path = `${canariesPath({ namespace })}/${encodeURIComponent(name)}`;
  return subresource ? `${path}/${subresource}` : path;
}

export interface CanaryList {
  items: Canary[];
  metadata?: { resourceVersion?: string };
}

export async function listCanaries(client: ClusterClient, scope: Scope, fieldSelector?: string): Promise<CanaryList> {
  const list = await client.request<CanaryList>('GET', canariesPath(scope), { query: { fieldSelector } });
  // List items carry no apiVersion and kind on the wire; -o json/yaml should show them as kubectl does.
  return {
    ...list,
    items: list.items.map((item) => ({ ...item, apiVersion: 'flagger.app/v1beta1', kind: 'Canary' })),
  };
}

export function getCanary(client: ClusterClient, namespace: string, name: string): Promise<Canary> {
  return client.request<Canary>('GET', canaryPath(namespace, name));
}

export function mergePatchCanary(
  client: ClusterClient,
  namespace: string,
  name: string,
  patch: Record<string, unknown>,
): Promise<Canary> {
  return client.request<Canary>('PATCH', canaryPath(namespace, name), {
    body: patch,
    contentType: 'application/merge-patch+json',
  });
}

export interface CanaryWatchEvent {
  type: WatchEvent['type'];
  canary: Canary;
}

export async function* watchCanaries(
  client: ClusterClient,
  scope: Scope,
  options: { resourceVersion: string; fieldSelector?: string; signal: AbortSignal },
): AsyncGenerator<CanaryWatchEvent> {
  const events = client.watch(
    canariesPath(scope),
    { resourceVersion: options.resourceVersion, fieldSelector: options.fieldSelector, allowWatchBookmarks: true },
    options.signal,
  );
  for await (const event of events) yield { type: event.type, canary: event.object as unknown as Canary };
}

/** A core/v1 Event, as `kubectl describe` lists them. */
export interface CoreEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
  metadata?: { creationTimestamp?: string };
}

/** Events about one object, oldest first. */
export async function listEventsAbout(client: ClusterClient, namespace: string, uid: string): Promise<CoreEvent[]> {
  const list = await client.request<{ items: CoreEvent[] }>(
    'GET',
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    {
      query: { fieldSelector: `involvedObject.uid=${uid}` },
    },
  );
  return list.items.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
}

/** When an event last happened, from whichever field its writer filled in. */
export function eventTime(event: CoreEvent): string {
  return (
    event.series?.lastObservedTime ??
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp ??
    ''
  );
}
