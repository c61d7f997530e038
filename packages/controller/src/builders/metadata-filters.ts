// Which labels and annotations are copied onto generated objects.

/** Flux garbage-collects objects carrying its keys, so they are never copied (reference §12). */
export function isFluxToolkitKey(key: string): boolean {
  return key.includes('toolkit.fluxcd.io');
}

/**
 * Flagger's marks on the objects it generates: Flux (kustomize-controller, helm-controller drift detection) must not
 * revert the routing Linnet writes to objects that also appear in a Flux inventory.
 */
export const GITOPS_OPT_OUT_ANNOTATIONS: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};

/**
 * Annotations maintained by other writers on the source object. Copying them would make Linnet's server-side apply
 * fight the Deployment controller (revision) or confuse `kubectl apply` on the copy (last-applied-configuration).
 */
const FOREIGN_BOOKKEEPING_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deprecated.daemonset.template.generation',
]);

export function withoutFluxToolkitKeys(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => !isFluxToolkitKey(key)));
}

/** Annotations of a source object that may be copied onto its generated counterpart. */
export function copyableAnnotations(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {}).filter(([key]) => !isFluxToolkitKey(key) && !FOREIGN_BOOKKEEPING_ANNOTATIONS.has(key)),
  );
}

/** Labels whose keys start with one of the include prefixes (`*` = all), Flux toolkit keys excluded. */
export function labelsWithIncludedPrefixes(
  labels: Readonly<Record<string, string>> | undefined,
  includePrefixes: readonly string[],
): Record<string, string> {
  const all = includePrefixes.includes('*');
  return Object.fromEntries(
    Object.entries(labels ?? {}).filter(
      ([key]) => !isFluxToolkitKey(key) && (all || includePrefixes.some((prefix) => key.startsWith(prefix))),
    ),
  );
}

/** Drops keys listed in `unmanagedMetadata`, so server-side apply neither sets nor removes them. */
export function withoutKeys(
  map: Readonly<Record<string, string>>,
  keys: readonly string[] | undefined,
): Record<string, string> {
  if (keys === undefined || keys.length === 0) return { ...map };
  return Object.fromEntries(Object.entries(map).filter(([key]) => !keys.includes(key)));
}

/** Kubernetes treats an empty map like an absent one; leaving it out keeps applied manifests minimal. */
export function nonEmpty(map: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(map).length === 0 ? undefined : map;
}
