import { parseAllDocuments, stringify } from 'yaml';

/**
 * The seed walkthrough's manifests (examples/rollout, or its local overlay) as `kubectl kustomize` renders them, and
 * the two changes the demo makes before applying them. Pure.
 */
export interface SeedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Label the demo puts on the namespace it creates; in a cluster of yours it only ever deletes a namespace with it. */
export const DEMO_NAMESPACE_LABEL = 'linnet.dev/demo';

/** The objects of a multi-document YAML stream (`kubectl kustomize` output), in order. */
export function parseSeedManifests(yaml: string, source: string): SeedObject[] {
  return parseAllDocuments(yaml).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]?.message}`);
    const object = document.toJS() as SeedObject | null;
    if (object === null) return [];
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      throw new Error(`${source}: a document without apiVersion, kind or metadata.name`);
    }
    return [object];
  });
}

/** The objects as one YAML stream, for `kubectl apply -f -`. */
export function formatSeedManifests(objects: readonly SeedObject[]): string {
  return objects.map((object) => stringify(object)).join('---\n');
}

export interface WebhookRewrite {
  readonly canary: string;
  readonly webhook: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Points every Canary webhook that calls the example's in-cluster test loader (`http://backend-testloader.webapp:8080/`)
 * at `loadTesterUrl` instead, keeping the path. Without cluster DNS (the local cluster) or from outside the cluster (a
 * controller run on this machine) the in-cluster name does not resolve. Returns the changed objects and what changed.
 */
export function rewriteLoadTesterUrls(
  objects: readonly SeedObject[],
  inClusterUrl: string,
  loadTesterUrl: string,
): { objects: SeedObject[]; rewrites: WebhookRewrite[] } {
  const from = new URL(inClusterUrl);
  const to = new URL(loadTesterUrl);
  const rewrites: WebhookRewrite[] = [];
  const changed = objects.map((object) => {
    if (object.kind !== 'Canary') return object;
    const copy = structuredClone(object) as SeedObject & {
      spec?: { analysis?: { webhooks?: { name?: string; url?: string }[] } };
    };
    for (const webhook of copy.spec?.analysis?.webhooks ?? []) {
      if (!webhook.url) continue;
      const url = new URL(webhook.url);
      if (url.origin !== from.origin) continue;
      const rewritten = new URL(url.pathname + url.search, to).href;
      rewrites.push({ canary: object.metadata.name, webhook: webhook.name ?? '', from: webhook.url, to: rewritten });
      webhook.url = rewritten;
    }
    return copy;
  });
  return { objects: changed, rewrites };
}

/** Adds the demo's label to the example's namespaces (not to istio-system, which the demo never deletes). */
export function labelDemoNamespace(objects: readonly SeedObject[], namespace: string): SeedObject[] {
  return objects.map((object) =>
    object.kind === 'Namespace' && object.metadata.name === namespace
      ? {
          ...object,
          metadata: { ...object.metadata, labels: { ...object.metadata.labels, [DEMO_NAMESPACE_LABEL]: 'true' } },
        }
      : object,
  );
}
