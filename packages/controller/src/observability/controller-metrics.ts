import { resourceName } from '../kube/resource-type.ts';
import type { ResourceType } from '../kube/resource-type.ts';
import { MetricsRegistry } from './metrics-registry.ts';
import type { Counter, Gauge, Histogram } from './metrics-registry.ts';

/** Flagger's `deployment_strategy` label values. */
export type DeploymentStrategy = 'canary' | 'blue-green' | 'ab-testing';
/** Flagger's `analysis_status` label values. */
export type AnalysisStatus = 'completed' | 'skipped';

/**
 * A canary as Flagger's metrics name it: `name` is the *target* workload's name (spec.targetRef.name), not the
 * Canary's, so Flagger's dashboards and alerts keep working.
 */
export interface CanaryMetricIdentity {
  targetName: string;
  namespace: string;
}

export interface ControllerMetricsOptions {
  version: string;
  meshProvider: string;
}

/**
 * The metrics Linnet exports: Flagger's (same names, labels and meaning, reference §8.1) plus Linnet's own
 * `linnet_*` operational metrics. Typed recorders, so call sites cannot misspell a label.
 */
export class ControllerMetrics {
  readonly registry: MetricsRegistry;

  readonly info: Gauge<'version' | 'mesh_provider'>;
  readonly canaryTotal: Gauge<'namespace'>;
  readonly canaryStatus: Gauge<'name' | 'namespace'>;
  readonly canaryWeight: Gauge<'workload' | 'namespace'>;
  readonly canaryMetricAnalysis: Gauge<'name' | 'namespace' | 'metric'>;
  readonly canaryDuration: Histogram<'name' | 'namespace'>;
  readonly canarySuccesses: Counter<'name' | 'namespace' | 'deployment_strategy' | 'analysis_status'>;
  readonly canaryFailures: Counter<'name' | 'namespace' | 'deployment_strategy' | 'analysis_status'>;

  readonly reconcileTotal: Counter<'result'>;
  readonly reconcileDuration: Histogram;
  readonly workqueueDepth: Gauge;
  readonly workqueueDelayed: Gauge;
  readonly informerRestarts: Counter<'resource' | 'reason'>;
  readonly informerSynced: Gauge<'resource'>;
  readonly informerObjects: Gauge<'resource'>;
  readonly leader: Gauge;
  readonly checksInFlight: Gauge;
  readonly checkRounds: Gauge;
  readonly eventsQueued: Gauge;
  readonly kubeWrites: Counter<'verb' | 'resource'>;
  readonly kubeWritesRefused: Counter<'verb' | 'resource'>;
  readonly alertsTotal: Counter<'provider' | 'result'>;

  constructor(options: ControllerMetricsOptions, registry = new MetricsRegistry()) {
    this.registry = registry;
    this.info = registry.gauge({
      name: 'flagger_info',
      help: 'Flagger version and mesh provider information',
      labelNames: ['version', 'mesh_provider'],
    });
    this.info.set({ version: options.version, mesh_provider: options.meshProvider }, 1);
    this.canaryTotal = registry.gauge({
      name: 'flagger_canary_total',
      help: 'Total number of canary object',
      labelNames: ['namespace'],
    });
    this.canaryStatus = registry.gauge({
      name: 'flagger_canary_status',
      help: 'Last canary analysis result',
      labelNames: ['name', 'namespace'],
    });
    this.canaryWeight = registry.gauge({
      name: 'flagger_canary_weight',
      help: 'The virtual service destination weight current value',
      labelNames: ['workload', 'namespace'],
    });
    this.canaryMetricAnalysis = registry.gauge({
      name: 'flagger_canary_metric_analysis',
      help: 'Last canary analysis result per metric',
      labelNames: ['name', 'namespace', 'metric'],
    });
    this.canaryDuration = registry.histogram({
      name: 'flagger_canary_duration_seconds',
      help: 'Seconds spent performing canary analysis.',
      labelNames: ['name', 'namespace'],
    });
    this.canarySuccesses = registry.counter({
      name: 'flagger_canary_successes_total',
      help: 'Total number of canary successes',
      labelNames: ['name', 'namespace', 'deployment_strategy', 'analysis_status'],
    });
    this.canaryFailures = registry.counter({
      name: 'flagger_canary_failures_total',
      help: 'Total number of canary failures',
      labelNames: ['name', 'namespace', 'deployment_strategy', 'analysis_status'],
    });

    this.reconcileTotal = registry.counter({
      name: 'linnet_reconcile_total',
      help: 'Reconciles run, by result (success, error, conflict).',
      labelNames: ['result'],
    });
    this.reconcileDuration = registry.histogram({
      name: 'linnet_reconcile_duration_seconds',
      help: 'Wall time of one reconcile (observe, decide, act), excluding time spent queued.',
    });
    this.workqueueDepth = registry.gauge({
      name: 'linnet_workqueue_depth',
      help: 'Keys ready to be reconciled and waiting for a worker.',
    });
    this.workqueueDelayed = registry.gauge({
      name: 'linnet_workqueue_delayed',
      help: 'Keys scheduled for a later reconcile (next check or retry backoff).',
    });
    this.informerRestarts = registry.counter({
      name: 'linnet_informer_restarts_total',
      help: 'Watch restarts per resource and reason (ServerClosed is routine; others indicate trouble).',
      labelNames: ['resource', 'reason'],
    });
    this.informerSynced = registry.gauge({
      name: 'linnet_informer_synced',
      help: '1 once the informer for the resource has completed its first list.',
      labelNames: ['resource'],
    });
    this.informerObjects = registry.gauge({
      name: 'linnet_informer_objects',
      help: 'Objects held in the informer cache for the resource (ConfigMaps and Secrets as metadata only).',
      labelNames: ['resource'],
    });
    this.leader = registry.gauge({
      name: 'linnet_leader',
      help: '1 while this replica holds the leader lease (always 1 without leader election).',
    });
    this.checksInFlight = registry.gauge({
      name: 'linnet_checks_in_flight',
      help: 'Check batches (webhooks, metric queries) running outside the reconcile, at most one per Canary.',
    });
    this.checkRounds = registry.gauge({
      name: 'linnet_check_rounds',
      help: 'Canaries whose check round (results not yet used by a decision, or a running batch) is held in memory.',
    });
    this.eventsQueued = registry.gauge({
      name: 'linnet_events_queued',
      help: 'Kubernetes Events queued or being written in the background.',
    });
    this.kubeWrites = registry.counter({
      name: 'linnet_kube_writes_total',
      help: 'Kubernetes writes sent by this replica (leader election excluded), by verb and resource.',
      labelNames: ['verb', 'resource'],
    });
    this.kubeWritesRefused = registry.counter({
      name: 'linnet_kube_writes_refused_total',
      help: 'Kubernetes writes refused because this replica was not inside an active leader term.',
      labelNames: ['verb', 'resource'],
    });
    this.alertsTotal = registry.counter({
      name: 'linnet_alerts_total',
      help: 'Alerts by provider ("<namespace>/<name>" or "flags/<type>") and result: sent, failed, invalid, dropped.',
      labelNames: ['provider', 'result'],
    });
  }

  countAlert(provider: string, result: 'sent' | 'failed' | 'invalid' | 'dropped'): void {
    this.alertsTotal.inc({ provider, result });
  }

  /** flagger_canary_status: 0 while Progressing, 2 when Failed, 1 in any other phase (Flagger's encoding). */
  setStatus(canary: CanaryMetricIdentity, phase: string): void {
    const value = phase === 'Progressing' ? 0 : phase === 'Failed' ? 2 : 1;
    this.canaryStatus.set({ name: canary.targetName, namespace: canary.namespace }, value);
  }

  /** flagger_canary_weight for `<target>-primary` and `<target>`. */
  setWeight(canary: CanaryMetricIdentity, primaryWeight: number, canaryWeight: number): void {
    this.canaryWeight.set({ workload: `${canary.targetName}-primary`, namespace: canary.namespace }, primaryWeight);
    this.canaryWeight.set({ workload: canary.targetName, namespace: canary.namespace }, canaryWeight);
  }

  setMetricAnalysis(canary: CanaryMetricIdentity, metric: string, value: number): void {
    this.canaryMetricAnalysis.set({ name: canary.targetName, namespace: canary.namespace, metric }, value);
  }

  observeAnalysisDuration(canary: CanaryMetricIdentity, seconds: number): void {
    this.canaryDuration.observe({ name: canary.targetName, namespace: canary.namespace }, seconds);
  }

  countOutcome(
    canary: CanaryMetricIdentity,
    outcome: 'success' | 'failure',
    deploymentStrategy: DeploymentStrategy,
    analysisStatus: AnalysisStatus,
  ): void {
    const counter = outcome === 'success' ? this.canarySuccesses : this.canaryFailures;
    counter.inc({
      name: canary.targetName,
      namespace: canary.namespace,
      deployment_strategy: deploymentStrategy,
      analysis_status: analysisStatus,
    });
  }

  /** flagger_canary_total per namespace; a namespace absent from `counts` no longer has canaries and is dropped. */
  setCanaryTotals(counts: ReadonlyMap<string, number>): void {
    this.canaryTotal.removeMatching({});
    for (const [namespace, count] of counts) this.canaryTotal.set({ namespace }, count);
  }

  /** Forget the per-canary series of a deleted canary, so dashboards do not show it forever. */
  forgetCanary(canary: CanaryMetricIdentity): void {
    const { targetName: name, namespace } = canary;
    this.canaryStatus.remove({ name, namespace });
    this.canaryWeight.remove({ workload: `${name}-primary`, namespace });
    this.canaryWeight.remove({ workload: name, namespace });
    this.canaryMetricAnalysis.removeMatching({ name, namespace });
    this.canaryDuration.remove({ name, namespace });
    this.canarySuccesses.removeMatching({ name, namespace });
    this.canaryFailures.removeMatching({ name, namespace });
  }

  observeReconcile(result: 'success' | 'error' | 'conflict', seconds: number): void {
    this.reconcileTotal.inc({ result });
    this.reconcileDuration.observe({}, seconds);
  }

  /** Sample the queue on every scrape. */
  watchQueue(queue: { depth(): number; delayedCount(): number }): void {
    this.registry.beforeRender(() => {
      this.workqueueDepth.set({}, queue.depth());
      this.workqueueDelayed.set({}, queue.delayedCount());
    });
  }

  /** Sample an informer's sync state and cache size (linnet_informer_synced, _objects) on every scrape. */
  watchInformer(informer: {
    readonly type: ResourceType;
    readonly store: { readonly size: number };
    hasSynced(): boolean;
  }): void {
    const resource = resourceName(informer.type);
    this.registry.beforeRender(() => {
      this.informerSynced.set({ resource }, informer.hasSynced() ? 1 : 0);
      this.informerObjects.set({ resource }, informer.store.size);
    });
  }

  /** For InformerOptions.onRestart: counts linnet_informer_restarts_total. */
  countInformerRestart(type: ResourceType, reason: string): void {
    this.informerRestarts.inc({ resource: resourceName(type), reason });
  }

  /** Sample leadership (linnet_leader) on every scrape; pass `() => true` when leader election is off. */
  watchLeadership(isLeader: () => boolean): void {
    this.registry.beforeRender(() => this.leader.set({}, isLeader() ? 1 : 0));
  }

  /** Sample the check runner (linnet_checks_in_flight, linnet_check_rounds) on every scrape. */
  watchCheckRuns(runs: { inFlight(): number; canaryCount(): number }): void {
    this.registry.beforeRender(() => {
      this.checksInFlight.set({}, runs.inFlight());
      this.checkRounds.set({}, runs.canaryCount());
    });
  }

  /** Sample the background Event writer (linnet_events_queued) on every scrape. */
  watchEventQueue(queue: { pending(): number }): void {
    this.registry.beforeRender(() => this.eventsQueued.set({}, queue.pending()));
  }

  countKubeWrite(verb: string, resource: string): void {
    this.kubeWrites.inc({ verb, resource });
  }

  countRefusedKubeWrite(verb: string, resource: string): void {
    this.kubeWritesRefused.inc({ verb, resource });
  }

  render(): string {
    return this.registry.render();
  }
}
