import { bucketIndex, ISTIO_DURATION_BUCKETS_MS } from './istio-histogram.ts';
import { serviceFqdn } from './service-host.ts';
import type { TrafficFlow } from './traffic-plan.ts';

/**
 * Holds the simulated istio-proxy statistics and renders them in the Prometheus text format (0.0.4), the way the
 * destination sidecars' merged /stats/prometheus endpoints would: `istio_requests_total` (counter) and
 * `istio_request_duration_milliseconds` (histogram, Istio's default buckets), with Istio's standard label names.
 * Only reporter="destination" series exist: they are the ones Flagger's builtin checks query.
 */

export const REQUESTS_METRIC = 'istio_requests_total';
export const DURATION_METRIC = 'istio_request_duration_milliseconds';

interface Series {
  readonly labelText: string;
  readonly destinationKey: string;
  requests: number;
  /** Non-cumulative counts per bucket of ISTIO_DURATION_BUCKETS_MS, plus a final +Inf slot. */
  readonly buckets: number[];
  sumMs: number;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Istio's standard metric labels for one request of `flow` answered with `responseCode`, in Istio's order. */
export function istioLabels(flow: TrafficFlow, responseCode: number): [string, string][] {
  const { source, destination, destinationService } = flow;
  return [
    ['reporter', 'destination'],
    ['source_workload', source.workload],
    ['source_workload_namespace', source.namespace],
    ['source_canonical_service', source.workload],
    ['destination_workload', destination.workload],
    ['destination_workload_namespace', destination.namespace],
    ['destination_app', destination.app],
    ['destination_version', destination.version],
    ['destination_service', serviceFqdn(destinationService)],
    ['destination_service_name', destinationService.name],
    ['destination_service_namespace', destinationService.namespace],
    ['destination_canonical_service', destination.canonicalService],
    ['destination_canonical_revision', destination.canonicalRevision],
    ['destination_cluster', 'Kubernetes'],
    ['request_protocol', 'http'],
    ['response_code', String(responseCode)],
    ['response_flags', '-'],
    ['connection_security_policy', 'mutual_tls'],
  ];
}

function formatBound(bound: number): string {
  return bound === Infinity ? '+Inf' : String(bound);
}

export class IstioMetricsRegistry {
  private readonly series = new Map<string, Series>();

  record(flow: TrafficFlow, responseCode: number, latenciesMs: readonly number[]): void {
    if (latenciesMs.length === 0) return;
    const labelText = istioLabels(flow, responseCode)
      .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
      .join(',');
    let series = this.series.get(labelText);
    if (!series) {
      series = {
        labelText,
        destinationKey: `${flow.destination.namespace}/${flow.destination.workload}`,
        requests: 0,
        buckets: new Array<number>(ISTIO_DURATION_BUCKETS_MS.length + 1).fill(0),
        sumMs: 0,
      };
      this.series.set(labelText, series);
    }
    series.requests += latenciesMs.length;
    for (const latency of latenciesMs) {
      const index = bucketIndex(latency);
      series.buckets[index] = (series.buckets[index] ?? 0) + 1;
      series.sumMs += latency;
    }
  }

  /**
   * Forgets series of workloads that no longer exist, as their sidecars' stats vanish with their pods; Prometheus then
   * marks them stale. Keys are "<namespace>/<workload>".
   */
  retainDestinations(liveWorkloads: ReadonlySet<string>): void {
    for (const [key, series] of this.series) if (!liveWorkloads.has(series.destinationKey)) this.series.delete(key);
  }

  get seriesCount(): number {
    return this.series.size;
  }

  exposition(): string {
    const all = [...this.series.values()].sort((a, b) =>
      a.labelText < b.labelText ? -1 : a.labelText > b.labelText ? 1 : 0,
    );
    const lines: string[] = [
      `# HELP ${REQUESTS_METRIC} Total requests (simulated by the Linnet mesh simulator).`,
      `# TYPE ${REQUESTS_METRIC} counter`,
    ];
    for (const s of all) lines.push(`${REQUESTS_METRIC}{${s.labelText}} ${s.requests}`);
    lines.push(
      `# HELP ${DURATION_METRIC} Request duration in milliseconds (simulated by the Linnet mesh simulator).`,
      `# TYPE ${DURATION_METRIC} histogram`,
    );
    const bounds = [...ISTIO_DURATION_BUCKETS_MS, Infinity];
    for (const s of all) {
      let cumulative = 0;
      bounds.forEach((bound, index) => {
        cumulative += s.buckets[index] ?? 0;
        lines.push(`${DURATION_METRIC}_bucket{${s.labelText},le="${formatBound(bound)}"} ${cumulative}`);
      });
      lines.push(`${DURATION_METRIC}_sum{${s.labelText}} ${s.sumMs}`);
      lines.push(`${DURATION_METRIC}_count{${s.labelText}} ${s.requests}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
