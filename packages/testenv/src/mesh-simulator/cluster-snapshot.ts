import { parseHttpRoutes, type HttpRouteRule } from './virtual-service-routes.ts';
import { serviceKey, type ServiceRef } from './service-host.ts';

/**
 * The few fields of Services, Deployments and VirtualServices the simulator needs, extracted from API objects. The
 * converters accept both the typed models returned by @kubernetes/client-node list calls and the plain JSON of watch
 * events (the field names are the same), and return undefined for objects they cannot use.
 */

export interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  /** spec.selector; empty means "no selector", i.e. endpoints managed by hand — no simulated workload behind it. */
  readonly selector: Readonly<Record<string, string>>;
}

export interface DeploymentView {
  readonly namespace: string;
  readonly name: string;
  readonly templateLabels: Readonly<Record<string, string>>;
  readonly templateAnnotations: Readonly<Record<string, string>>;
  readonly readyReplicas: number;
}

export interface VirtualServiceView {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly routes: readonly HttpRouteRule[];
  readonly problems: readonly string[];
}

export interface ClusterSnapshot {
  readonly services: ReadonlyMap<string, ServiceView>;
  readonly deployments: readonly DeploymentView[];
  readonly virtualServices: readonly VirtualServiceView[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) if (typeof entry === 'string') result[key] = entry;
  return result;
}

function identity(object: unknown): { namespace: string; name: string; metadata: Record<string, unknown> } | undefined {
  const metadata = record(record(object)['metadata']);
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || typeof namespace !== 'string') return undefined;
  return { name, namespace, metadata };
}

export function toServiceView(object: unknown): ServiceView | undefined {
  const id = identity(object);
  if (!id) return undefined;
  return { namespace: id.namespace, name: id.name, selector: stringMap(record(record(object)['spec'])['selector']) };
}

export function toDeploymentView(object: unknown): DeploymentView | undefined {
  const id = identity(object);
  if (!id) return undefined;
  const templateMetadata = record(record(record(record(object)['spec'])['template'])['metadata']);
  const ready = record(record(object)['status'])['readyReplicas'];
  return {
    namespace: id.namespace,
    name: id.name,
    templateLabels: stringMap(templateMetadata['labels']),
    templateAnnotations: stringMap(templateMetadata['annotations']),
    readyReplicas: typeof ready === 'number' ? ready : 0,
  };
}

export function toVirtualServiceView(object: unknown): VirtualServiceView | undefined {
  const id = identity(object);
  if (!id) return undefined;
  const { routes, problems } = parseHttpRoutes(record(object)['spec']);
  return {
    namespace: id.namespace,
    name: id.name,
    annotations: stringMap(id.metadata['annotations']),
    routes,
    problems,
  };
}

export function makeSnapshot(
  services: readonly ServiceView[],
  deployments: readonly DeploymentView[],
  virtualServices: readonly VirtualServiceView[],
): ClusterSnapshot {
  return { services: new Map(services.map((s) => [serviceKey(s), s])), deployments, virtualServices };
}

export interface WorkloadEndpoint {
  readonly deployment: DeploymentView;
  /** Fraction of the Service's requests this Deployment receives. */
  readonly share: number;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * The Deployments behind a Service: those in its namespace whose pod template labels satisfy its selector. Like
 * kube-proxy/Envoy balancing over endpoints, requests are split by ready replicas; a Deployment with no ready replica
 * has no endpoint and gets nothing (Istio would answer 503 "no healthy upstream" from the client side, which only the
 * source reporter records — and the simulator emits destination-reporter series only).
 */
export function workloadsBehindService(snapshot: ClusterSnapshot, ref: ServiceRef): WorkloadEndpoint[] {
  const service = snapshot.services.get(serviceKey(ref));
  if (!service || Object.keys(service.selector).length === 0) return [];
  const ready = snapshot.deployments.filter(
    (d) => d.namespace === ref.namespace && d.readyReplicas > 0 && selects(service.selector, d.templateLabels),
  );
  const total = ready.reduce((sum, d) => sum + d.readyReplicas, 0);
  return ready.map((deployment) => ({ deployment, share: deployment.readyReplicas / total }));
}
