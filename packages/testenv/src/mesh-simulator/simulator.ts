import type { ClusterSnapshot } from './cluster-snapshot.ts';
import { IstioMetricsRegistry } from './istio-metrics-registry.ts';
import type { LoadJobs } from './load-jobs.ts';
import type { RandomSource } from './random.ts';
import { RequestAttributor } from './request-attribution.ts';
import { buildTrafficPlan, type PlanOptions, type TrafficPlan } from './traffic-plan.ts';

/**
 * If the process stalls (a long GC, a suspended machine), catch up at most this much simulated time in one tick: a
 * short stall is replayed so rates stay exact, a long one is not turned into a burst.
 */
export const MAX_CATCH_UP_MS = 10_000;

export interface SimulatorDependencies {
  readonly planOptions: PlanOptions;
  readonly random: RandomSource;
  readonly loadJobs: LoadJobs;
}

/** The pure heart of the simulator: no timers, no I/O; time and the cluster view are passed in on every tick. */
export class MeshSimulator {
  private readonly planOptions: PlanOptions;
  private readonly loadJobs: LoadJobs;
  private readonly attributor: RequestAttributor;
  private readonly registry = new IstioMetricsRegistry();
  private lastTickMs: number | undefined;
  private currentPlan: TrafficPlan = { flows: [], virtualServices: [], workloads: [], problems: [] };
  private planInputs: { snapshot: ClusterSnapshot; loadRevision: number } | undefined;

  constructor(dependencies: SimulatorDependencies) {
    this.planOptions = dependencies.planOptions;
    this.loadJobs = dependencies.loadJobs;
    this.attributor = new RequestAttributor(dependencies.random);
  }

  get plan(): TrafficPlan {
    return this.currentPlan;
  }

  /**
   * Simulates the requests of (previous tick, nowMs]. `snapshot` should be the same object while the cluster has not
   * changed: the plan is only rebuilt when it or the set of load jobs changes.
   */
  tick(nowMs: number, snapshot: ClusterSnapshot): void {
    const fromMs = this.lastTickMs === undefined ? nowMs : Math.max(this.lastTickMs, nowMs - MAX_CATCH_UP_MS);
    this.lastTickMs = nowMs;
    // Jobs that ended during this tick still get their last partial tick (flows are clipped to the job's window).
    const jobs = this.loadJobs.active(fromMs);
    if (this.planInputs?.snapshot !== snapshot || this.planInputs.loadRevision !== this.loadJobs.revision) {
      this.currentPlan = buildTrafficPlan(snapshot, jobs, this.planOptions);
      this.planInputs = { snapshot, loadRevision: this.loadJobs.revision };
      this.registry.retainDestinations(new Set(snapshot.deployments.map((d) => `${d.namespace}/${d.name}`)));
    }
    for (const batch of this.attributor.attribute(this.currentPlan.flows, fromMs, nowMs)) {
      this.registry.record(batch.flow, batch.responseCode, batch.latenciesMs);
    }
  }

  metricsText(): string {
    return this.registry.exposition();
  }
}
