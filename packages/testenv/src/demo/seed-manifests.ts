import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The seed walkthrough's manifests (examples/rollout), read in the order of its kustomization.yaml, and the two
 * changes the demo makes when applying them. Pure apart from reading the files.
 */
export interface SeedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Label the demo puts on the namespace it creates; in a cluster of yours it only ever deletes a namespace with it. */
export const DEMO_NAMESPACE_LABEL = 'linnet.dev/demo';

/**
 * The objects of the kustomization's resource files, in order. Resources that are directories (other kustomizations,
 * such as the per-workload test loader) are not rendered: they are returned in `skipped`.
 */
export function loadSeedManifests(directory: string): { objects: SeedObject[]; skipped: string[] } {
  const kustomization = parseOne(join(directory, 'kustomization.yaml')) as { resources?: unknown };
  if (!Array.isArray(kustomization.resources)) throw new Error(`${directory}/kustomization.yaml lists no resources`);
  const skipped: string[] = [];
  const objects = kustomization.resources.flatMap((file) => {
    const path = join(directory, String(file));
    if (statSync(path).isDirectory()) {
      skipped.push(String(file));
      return [];
    }
    return parseAllDocuments(readFileSync(path, 'utf8')).flatMap((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message}`);
      const object = document.toJS() as SeedObject | null;
      if (object === null) return [];
      if (!object.apiVersion || !object.kind || !object.metadata?.name) {
        throw new Error(`${path}: a document without apiVersion, kind or metadata.name`);
      }
      return [object];
    });
  });
  return { objects, skipped };
}

function parseOne(path: string): unknown {
  const [document] = parseAllDocuments(readFileSync(path, 'utf8'));
  return document?.toJS() as unknown;
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
