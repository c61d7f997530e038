// Read-only probes the scenarios 4–8 assert with, beside the shared harness (index.ts): counting events, the
// VirtualService split with its mirror, Prometheus text from a controller's /metrics, and the mesh simulator's plan.
import type { KubeAccess, KubeObject } from '../../../src/kube/index.ts';
import { e2eTypes, type CanaryEventRecord } from './cluster-objects.ts';
import { recordObjects, type ObjectRecorder } from './object-recorder.ts';
import { startSimulatedLoad, type SimulatedLoad } from './mesh-simulator-load.ts';
import { testClusterEnv } from './test-cluster.ts';

// ---- events ----

/** Total reports (series counts included) of the events whose message matches. */
export function countEvents(events: readonly CanaryEventRecord[], message: RegExp | string): number {
  return events
    .filter((event) => (typeof message === 'string' ? event.message.includes(message) : message.test(event.message)))
    .reduce((sum, event) => sum + event.count, 0);
}

export function describeEvents(events: readonly CanaryEventRecord[]): string {
  return events
    .map((event) => `${event.time} ${event.type} ${event.reason} x${event.count}: ${event.message}`)
    .join('\n');
}

// ---- VirtualService routes ----

export interface IstioDestinationView {
  host: string;
  port?: { number?: number };
}

export interface HttpRouteView {
  match?: Array<Record<string, unknown>>;
  route?: Array<{ destination: IstioDestinationView; weight?: number }>;
  mirror?: IstioDestinationView;
  mirrorPercentage?: { value: number };
}

export interface VirtualServiceView extends KubeObject {
  spec?: { hosts?: string[]; gateways?: string[]; http?: HttpRouteView[] };
}

export interface RouteSplit {
  primaryWeight: number;
  canaryWeight: number;
  mirrored: boolean;
  mirrorPercentage: number | undefined;
}

/**
 * The split as Flagger's GetRoutes reads it (reference §5.2): the last HTTP route that has the canary host,
 * its two weights, and its mirror.
 */
export function routeSplit(vs: VirtualServiceView | undefined, service: string): RouteSplit | undefined {
  const routes = vs?.spec?.http ?? [];
  const canaryHost = `${service}-canary`;
  const primaryHost = `${service}-primary`;
  const weighted = [...routes].reverse().find((route) => route.route?.some((d) => d.destination.host === canaryHost));
  if (!weighted) return undefined;
  const weightOf = (host: string): number =>
    weighted.route?.find((destination) => destination.destination.host === host)?.weight ?? 0;
  return {
    primaryWeight: weightOf(primaryHost),
    canaryWeight: weightOf(canaryHost),
    mirrored: weighted.mirror?.host === canaryHost,
    mirrorPercentage: weighted.mirrorPercentage?.value,
  };
}

export function describeSplit(split: RouteSplit | undefined): string {
  if (!split) return 'no weighted route';
  const mirror = split.mirrored
    ? ` mirror${split.mirrorPercentage === undefined ? '' : ` ${split.mirrorPercentage}%`}`
    : '';
  return `${split.primaryWeight}/${split.canaryWeight}${mirror}`;
}

/** Records every version of the VirtualService of a Canary's service, so a test can assert the whole route sequence. */
export function recordVirtualService(
  access: KubeAccess,
  canary: { readonly namespace: string; readonly name: string },
): Promise<ObjectRecorder<VirtualServiceView>> {
  return recordObjects<VirtualServiceView>({
    access,
    type: e2eTypes.virtualService,
    namespace: canary.namespace,
    name: canary.name,
  });
}

/** Consecutive duplicates removed, e.g. the distinct splits a VirtualService went through. */
export function collapseRepeats<T>(values: readonly T[], key: (value: T) => string): T[] {
  const out: T[] = [];
  for (const value of values) {
    const last = out.at(-1);
    if (last === undefined || key(last) !== key(value)) out.push(value);
  }
  return out;
}

// ---- Prometheus text (a controller's /metrics) ----

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[4]) });
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include `labels`. */
export function sumSamples(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

export async function scrapeMetrics(url: string, timeoutMs = 5_000): Promise<Sample[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

// ---- mesh simulator ----

export interface MeshWorkloadPlan {
  namespace: string;
  workload: string;
  ratePerSecond: number;
}

/** Request rates per workload as the simulator currently plans them from the VirtualServices and load jobs. */
export async function meshWorkloadRates(namespace: string): Promise<MeshWorkloadPlan[]> {
  const response = await fetch(`${testClusterEnv().meshSimulatorUrl}/debug/plan`, {
    signal: AbortSignal.timeout(5_000),
  });
  const plan = (await response.json()) as { workloads?: MeshWorkloadPlan[] };
  return (plan.workloads ?? []).filter((workload) => workload.namespace === namespace);
}

/** The simulator load jobs a suite started (see startSimulatedLoad), stopped together when the suite ends. */
export class SuiteLoadJobs {
  private readonly ids: string[] = [];

  async start(load: SimulatedLoad): Promise<void> {
    this.ids.push(await startSimulatedLoad(load));
  }

  async stopAll(): Promise<void> {
    const url = testClusterEnv().meshSimulatorUrl;
    await Promise.all(
      this.ids
        .splice(0)
        .map((id) =>
          fetch(`${url}/load/${id}`, { method: 'DELETE', signal: AbortSignal.timeout(5_000) }).catch(() => undefined),
        ),
    );
  }
}
