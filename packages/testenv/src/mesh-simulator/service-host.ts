/**
 * Istio destination hosts name Kubernetes Services in several spellings: `backend-canary` (resolved in the
 * VirtualService's namespace, as Istio does for short names), `backend-canary.test`, `backend-canary.test.svc` and
 * `backend-canary.test.svc.cluster.local` (any cluster domain). Anything else (e.g. `api.example.com`) is an external
 * host with no workload in the cluster.
 */
export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
}

export function parseServiceHost(host: string, defaultNamespace: string): ServiceRef | undefined {
  const parts = host.trim().toLowerCase().split('.');
  const svcIndex = parts.indexOf('svc');
  if (svcIndex === 2) return { name: parts[0] ?? '', namespace: parts[1] ?? '' };
  if (svcIndex !== -1) return undefined;
  if (parts.length === 1 && parts[0]) return { name: parts[0], namespace: defaultNamespace };
  if (parts.length === 2 && parts[0] && parts[1]) return { name: parts[0], namespace: parts[1] };
  return undefined;
}

export function serviceKey(ref: ServiceRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** The value Istio puts in destination_service: the Service's FQDN. */
export function serviceFqdn(ref: ServiceRef): string {
  return `${ref.name}.${ref.namespace}.svc.cluster.local`;
}
