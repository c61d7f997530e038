import { workloadsBehindService, type ClusterSnapshot, type DeploymentView } from './cluster-snapshot.ts';
import { expectedHistogramQuantile } from './istio-histogram.ts';
import type { LoadJob } from './load-jobs.ts';
import { parseServiceHost, serviceFqdn, type ServiceRef } from './service-host.ts';
import { hostTrafficShares } from './virtual-service-routes.ts';
import { parseWorkloadBehaviour, type WorkloadBehaviour } from './workload-behaviour.ts';

/**
 * Turns what the cluster says (VirtualServices, Services, Deployments) plus the running load jobs into flows: "this
 * many requests per second from source S reach workload W through Service X". Recomputed only when the cluster or the
 * load jobs change; the per-tick work happens in request-attribution.ts.
 */

export const ANNOTATION_RATE = 'sim.linnet.dev/rate';
export const ANNOTATION_MATCH_FRACTION = 'sim.linnet.dev/match-fraction';
export const DEFAULT_MATCH_FRACTION = 0.1;
/** source_workload of requests entering through a VirtualService (namespace: the VirtualService's). */
export const MESH_SOURCE_WORKLOAD = 'linnet-mesh-simulator';

export interface PlanOptions {
  /** Requests per second entering each VirtualService unless its `sim.linnet.dev/rate` annotation says otherwise. */
  readonly defaultRatePerSecond: number;
  readonly defaultMatchFraction: number;
}

export interface TrafficSource {
  readonly workload: string;
  readonly namespace: string;
}

/** Istio's destination_* labels, taken from the Deployment the way istio-proxy derives them from pod labels. */
export interface DestinationWorkload {
  readonly namespace: string;
  readonly workload: string;
  readonly app: string;
  readonly version: string;
  readonly canonicalService: string;
  readonly canonicalRevision: string;
}

export interface TrafficFlow {
  /** Identity for per-flow attribution state; stable across plan rebuilds while the flow exists. */
  readonly key: string;
  readonly ratePerSecond: number;
  readonly source: TrafficSource;
  readonly destination: DestinationWorkload;
  readonly destinationService: ServiceRef;
  readonly behaviour: WorkloadBehaviour;
  /** Load-job flows only generate requests inside [activeFromMs, activeUntilMs). */
  readonly activeFromMs?: number;
  readonly activeUntilMs?: number;
}

export interface PlannedHost {
  readonly host: string;
  readonly mirrored: boolean;
  readonly ratePerSecond: number;
  readonly workloads: readonly string[];
}

export interface VirtualServicePlan {
  readonly namespace: string;
  readonly name: string;
  readonly ratePerSecond: number;
  readonly matchFraction: number;
  readonly hosts: readonly PlannedHost[];
}

export interface WorkloadSummary {
  readonly namespace: string;
  readonly workload: string;
  readonly ratePerSecond: number;
  readonly errorRate: number;
  readonly latencyMedianMs: number;
  readonly latencyP99Ms: number;
  /** What histogram_quantile(0.99, …) over Istio's buckets converges to for this workload. */
  readonly expectedHistogramP99Ms: number;
}

export interface TrafficPlan {
  readonly flows: readonly TrafficFlow[];
  readonly virtualServices: readonly VirtualServicePlan[];
  readonly workloads: readonly WorkloadSummary[];
  readonly problems: readonly string[];
}

function annotationNumber(
  annotations: Readonly<Record<string, string>>,
  key: string,
  isValid: (value: number) => boolean,
  fallback: number,
  problems: string[],
  where: string,
): number {
  const raw = annotations[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(value) && isValid(value)) return value;
  problems.push(`${where}: ${key}=${JSON.stringify(raw)} ignored`);
  return fallback;
}

function destinationOf(deployment: DeploymentView): DestinationWorkload {
  const labels = deployment.templateLabels;
  const app = labels['app'] ?? labels['app.kubernetes.io/name'];
  const version = labels['version'] ?? labels['app.kubernetes.io/version'];
  return {
    namespace: deployment.namespace,
    workload: deployment.name,
    app: app ?? 'unknown',
    version: version ?? 'unknown',
    canonicalService: labels['service.istio.io/canonical-name'] ?? app ?? deployment.name,
    canonicalRevision: labels['service.istio.io/canonical-revision'] ?? version ?? 'latest',
  };
}

export function buildTrafficPlan(
  snapshot: ClusterSnapshot,
  loadJobs: readonly LoadJob[],
  options: PlanOptions,
): TrafficPlan {
  const problems: string[] = [];
  const flows = new Map<string, TrafficFlow>();
  const behaviours = new Map<DeploymentView, WorkloadBehaviour>();

  const behaviourOf = (deployment: DeploymentView): WorkloadBehaviour => {
    let behaviour = behaviours.get(deployment);
    if (!behaviour) {
      const parsed = parseWorkloadBehaviour(deployment.templateAnnotations);
      for (const problem of parsed.problems)
        problems.push(`Deployment ${deployment.namespace}/${deployment.name}: ${problem}`);
      behaviour = parsed.behaviour;
      behaviours.set(deployment, behaviour);
    }
    return behaviour;
  };

  const addFlows = (
    keyPrefix: string,
    source: TrafficSource,
    service: ServiceRef,
    ratePerSecond: number,
    window: { activeFromMs: number; activeUntilMs: number } | undefined,
  ): string[] => {
    const endpoints = workloadsBehindService(snapshot, service);
    for (const { deployment, share } of endpoints) {
      const key = `${keyPrefix}|${source.namespace}/${source.workload}>${deployment.namespace}/${deployment.name}|${serviceFqdn(service)}`;
      const existing = flows.get(key);
      const rate = (existing?.ratePerSecond ?? 0) + ratePerSecond * share;
      flows.set(key, {
        key,
        ratePerSecond: rate,
        source,
        destination: destinationOf(deployment),
        destinationService: service,
        behaviour: behaviourOf(deployment),
        ...window,
      });
    }
    return endpoints.map((e) => e.deployment.name);
  };

  const virtualServices: VirtualServicePlan[] = [];
  for (const vs of snapshot.virtualServices) {
    const where = `VirtualService ${vs.namespace}/${vs.name}`;
    for (const problem of vs.problems) problems.push(`${where}: ${problem}`);
    const rate = annotationNumber(
      vs.annotations,
      ANNOTATION_RATE,
      (v) => v >= 0,
      options.defaultRatePerSecond,
      problems,
      where,
    );
    const matchFraction = annotationNumber(
      vs.annotations,
      ANNOTATION_MATCH_FRACTION,
      (v) => v >= 0 && v <= 1,
      options.defaultMatchFraction,
      problems,
      where,
    );
    const source: TrafficSource = { workload: MESH_SOURCE_WORKLOAD, namespace: vs.namespace };
    const hosts: PlannedHost[] = [];
    for (const share of hostTrafficShares(vs.routes, matchFraction)) {
      const service = parseServiceHost(share.host, vs.namespace);
      const hostRate = rate * share.share;
      const workloads = service ? addFlows('vs', source, service, hostRate, undefined) : [];
      if (!service)
        problems.push(`${where}: host ${share.host} is not a cluster Service; its requests are not recorded`);
      else if (workloads.length === 0 && hostRate > 0) {
        problems.push(`${where}: no ready Deployment behind ${share.host}; its requests are not recorded`);
      }
      hosts.push({ host: share.host, mirrored: share.mirrored, ratePerSecond: hostRate, workloads });
    }
    virtualServices.push({ namespace: vs.namespace, name: vs.name, ratePerSecond: rate, matchFraction, hosts });
  }

  for (const job of loadJobs) {
    const service: ServiceRef = { namespace: job.namespace, name: job.service };
    const source: TrafficSource = { workload: job.sourceWorkload, namespace: job.sourceNamespace };
    const window = { activeFromMs: job.startedAtMs, activeUntilMs: job.endsAtMs };
    const workloads = addFlows(`load:${job.id}`, source, service, job.rate, window);
    if (workloads.length === 0)
      problems.push(`load ${job.id}: no ready Deployment behind ${job.namespace}/${job.service} yet`);
  }

  // Sorted so that seeded state is handed out in the same order on every run.
  const sortedFlows = [...flows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { flows: sortedFlows, virtualServices, workloads: summarise(sortedFlows), problems };
}

function summarise(flows: readonly TrafficFlow[]): WorkloadSummary[] {
  const byWorkload = new Map<string, { flow: TrafficFlow; rate: number }>();
  for (const flow of flows) {
    const key = `${flow.destination.namespace}/${flow.destination.workload}`;
    const entry = byWorkload.get(key);
    if (entry) entry.rate += flow.ratePerSecond;
    else byWorkload.set(key, { flow, rate: flow.ratePerSecond });
  }
  return [...byWorkload.values()].map(({ flow, rate }) => ({
    namespace: flow.destination.namespace,
    workload: flow.destination.workload,
    ratePerSecond: rate,
    errorRate: flow.behaviour.errorRate,
    latencyMedianMs: flow.behaviour.latency.medianMs,
    latencyP99Ms: flow.behaviour.latency.p99Ms,
    expectedHistogramP99Ms: expectedHistogramQuantile(0.99, flow.behaviour.latency),
  }));
}
