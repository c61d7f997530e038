// Wires the controller together: informers (the caches), the Canary index, the work queue and its workers, the
// reconciler and its executors, the check runs outside the reconcile, and optional leader election (workers run
// only while leading, inside a leader term that fences every Kubernetes write).
import { effectiveAnalysis } from '@linnet/api';
import {
  createNamespacesInformer,
  InformerGroup,
  type Informer,
  type ReadonlyObjectStore,
} from '../informers/index.ts';
import {
  BackgroundEventRecorder,
  KubeEventRecorder,
  objectKeyOf,
  resourceName,
  type KubeAccess,
  type KubeObject,
  type ResourceType,
} from '../kube/index.ts';
import { fencedKubeAccess, LeadershipTerm, LeaseLeaderElector, type LeaderElector } from '../leader/index.ts';
import { DelayingWorkQueue, runWorkers, systemTimers, type WorkQueue } from '../queue/index.ts';
import { describeError, MetricThresholds, type ControllerMetrics, type Logger } from '../observability/index.ts';
import type { ControllerOptions } from '../flags/index.ts';
import type { ReadinessCheck } from '../http/index.ts';
import { informersSyncedCheck, leaderElectionCheck } from '../http/index.ts';
import { DEFAULT_TIMINGS } from '@linnet/core';
import {
  kubeOptInDeps,
  startAnnotationOptIn,
  withPrivateTestLoaderTokens,
  type AnnotationOptIn,
} from '../opt-in/index.ts';
import {
  AlertDispatcher,
  createAlertPoster,
  globalAlertDestination,
  readProviderDestination,
} from '../alerts/index.ts';
import { createWebhookClient, type WebhookClient } from '../webhooks/index.ts';
import { CanaryEventPublisher } from './canary-events.ts';
import { CanaryCheckRuns } from './canary-check-runs.ts';
import { CanaryIndex } from './canary-index.ts';
import { canaryMetricIdentity } from './canary-metric-identity.ts';
import { CanaryReconciler } from './canary-reconciler.ts';
import { MetricsProviderPool } from './check-runner.ts';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import { ClusterView, ClusterWriter, forgetWriteOf, type CacheStores } from './cluster-view.ts';
import { ConfigData } from './config-data.ts';
import { canaryHandler, relatedObjectHandler } from './enqueue-handlers.ts';
import { RecentWrites } from './recent-writes.ts';

export interface ControllerRuntimeDeps {
  options: ControllerOptions;
  access: KubeAccess;
  logger: Logger;
  metrics: ControllerMetrics;
  /** This replica's identity (events' reportingInstance, leader lease holder). */
  identity: string;
  webhookClient?: WebhookClient;
}

/** How long a graceful stop waits for queued Events to be written before ending the leader term. */
const EVENT_DRAIN_TIMEOUT_MS = 5_000;

/** How long the informers may take for their first list before start-up fails. */
const INFORMER_SYNC_TIMEOUT_MS = 120_000;

export class ControllerRuntime implements CacheStores {
  readonly informers = new InformerGroup();
  private readonly deps: ControllerRuntimeDeps;
  // Caches of different object types live together; `store` gives each caller its own type back.
  private readonly storeByType = new Map<ResourceType, ReadonlyObjectStore<KubeObject>>();
  private readonly canaries: Informer<CanaryResource>;
  private readonly index = new CanaryIndex();
  private readonly recentWrites = new RecentWrites();
  private readonly reconciler: CanaryReconciler;
  private readonly events: CanaryEventPublisher;
  private readonly eventRecorder: BackgroundEventRecorder;
  private readonly elector: LeaderElector | undefined;
  private readonly startOptIn: () => AnnotationOptIn;
  private readonly checkRuns: CanaryCheckRuns;
  /** The current leader term; undefined while not leading, and then every write is refused. */
  private term: LeadershipTerm | undefined;
  private queue: WorkQueue | undefined;
  private workers: Promise<void> | undefined;
  private optIn: AnnotationOptIn | undefined;
  private workersStopped: Promise<void> | undefined;
  private stopping = false;

  constructor(deps: ControllerRuntimeDeps) {
    this.deps = deps;
    const { options, logger, metrics } = deps;
    const enqueue = (key: string, dueAtMs?: number): void => this.queue?.add(key, dueAtMs);
    // Reads go to the API server directly; writes only inside the current leader term.
    const access = fencedKubeAccess(deps.access, () => this.term, {
      onWrite: (verb, resource) => metrics.countKubeWrite(verb, resource),
      onRefused: (verb, resource, error) => {
        metrics.countRefusedKubeWrite(verb, resource);
        logger.warn('write refused: not inside an active leader term', { verb, resource, error: error.message });
      },
    });
    this.checkRuns = new CanaryCheckRuns({
      enqueue,
      nowMs: () => systemTimers.now(),
      onBatchError: (key, error) => logger.error('check batch failed', { key, ...describeError(error) }),
    });

    this.canaries = this.addInformer(clusterTypes.canary);
    this.canaries.addHandler(
      canaryHandler(enqueue, (canary) => {
        this.checkRuns.forget(objectKeyOf(canary));
        metrics.forgetCanary(canaryMetricIdentity(canary));
      }),
    );
    const thresholds = new MetricThresholds(metrics.registry);
    const setThresholds = (canary: CanaryResource): void =>
      thresholds.set(canaryMetricIdentity(canary), effectiveAnalysis(canary.spec)?.metrics ?? []);
    this.canaries.addHandler({
      onAdd: setThresholds,
      onUpdate: (_previous, current) => setThresholds(current),
      onDelete: (canary) => thresholds.forget(canaryMetricIdentity(canary)),
    });
    const deployments = this.addInformer(clusterTypes.deployment);
    const daemonSets = this.addInformer(clusterTypes.daemonSet);
    deployments.addHandler(relatedObjectHandler('Deployment', this.index, enqueue));
    daemonSets.addHandler(relatedObjectHandler('DaemonSet', this.index, enqueue));
    // ConfigMaps and Secrets are cached as metadata only; ConfigData fetches the data of referenced ones.
    const configData = new ConfigData(access, (type) => this.store(type));
    for (const [type, kind] of [
      [clusterTypes.configMap, 'ConfigMap'],
      [clusterTypes.secret, 'Secret'],
    ] as const) {
      const informer = this.addInformer<KubeObject>(type, { metadataOnly: true });
      informer.addHandler(relatedObjectHandler(kind, this.index, enqueue));
      informer.addHandler({ onDelete: (object) => configData.forget(type, object) });
    }
    const related: ReadonlyArray<[ResourceType, string]> = [
      [clusterTypes.service, 'Service'],
      [clusterTypes.virtualService, 'VirtualService'],
      [clusterTypes.destinationRule, 'DestinationRule'],
      [clusterTypes.horizontalPodAutoscaler, 'HorizontalPodAutoscaler'],
    ];
    for (const [type, kind] of related)
      this.addInformer(type).addHandler(relatedObjectHandler(kind, this.index, enqueue));
    // Templates are read when a check runs; a change needs no reconcile of its own.
    this.addInformer(clusterTypes.metricTemplate);

    // Calls to a generated private test loader carry the token of its Secret (docs/annotations.md).
    const webhookClient = withPrivateTestLoaderTokens(
      deps.webhookClient ?? createWebhookClient({ maxResponseBytes: options.webhookMaxAnswerBytes }),
      {
        // Off the reconcile (a check): a GET only when the Secret's resourceVersion changed.
        get: async (namespace, name) => {
          await configData.load([{ type: clusterTypes.secret, namespace, name }]);
          return configData.get(clusterTypes.secret, namespace, name);
        },
      },
    );
    // Events are written in the background, so a step's status write does not wait behind its Event.
    const recorder = new BackgroundEventRecorder({
      recorder: new KubeEventRecorder({ access, reportingInstance: deps.identity, reportingController: 'linnet' }),
      onFailed: (regarding, event, error) =>
        logger.warn('could not record event', {
          namespace: regarding.metadata?.namespace,
          name: regarding.metadata?.name,
          event: event.reason,
          ...describeError(error),
        }),
    });
    this.eventRecorder = recorder;
    // Workloads annotated linnet.dev/canary: enabled get a generated Canary (docs/annotations.md); a writer, so it
    // runs with the workers (on the leader only).
    this.startOptIn = () =>
      startAnnotationOptIn({
        ...kubeOptInDeps({
          access,
          events: recorder,
          logger,
          deployments,
          daemonSets,
          canaries: this.canaries,
          testLoaderImage: options.testLoaderImage,
        }),
        policy: options.optInPolicy,
      });
    const alertDispatcher = new AlertDispatcher({
      resolve: async (route) => (route.kind === 'global' ? route.destination : readProviderDestination(access, route)),
      post: createAlertPoster(),
      onResult: (provider, result) => metrics.countAlert(provider, result),
      attemptTimeoutMs: options.alertTimeoutMs,
    });
    this.events = new CanaryEventPublisher({
      recorder,
      webhookClient,
      globalEventWebhook: options.eventWebhook,
      alerts: {
        dispatcher: alertDispatcher,
        routing: { clusterName: options.clusterName, globalDestination: globalAlertDestination(options) },
      },
    });
    this.reconciler = new CanaryReconciler({
      access,
      view: new ClusterView(this, this.recentWrites, configData),
      writer: new ClusterWriter(access, this.recentWrites, configData),
      events: this.events,
      webhookClient,
      metricsProviders: new MetricsProviderPool({ maxAnswerBytes: options.prometheusMaxAnswerBytes }),
      checkRuns: this.checkRuns,
      metrics,
      index: this.index,
      options: {
        selectorLabels: options.selectorLabels,
        includeLabelPrefixes: options.includeLabelPrefix,
        meshProvider: options.meshProvider,
        enableConfigTracking: options.enableConfigTracking,
        metricsServer: options.metricsServer,
        timings: { ...DEFAULT_TIMINGS, minimumAnalysisIntervalMs: options.minAnalysisIntervalMs },
      },
      logger,
    });

    this.elector = options.enableLeaderElection
      ? new LeaseLeaderElector({
          access: deps.access,
          namespace: options.leaderElectionNamespace,
          identity: deps.identity,
          leaseDurationMs: options.leaderElectionLeaseDurationMs,
          renewDeadlineMs: options.leaderElectionRenewDeadlineMs,
          retryPeriodMs: options.leaderElectionRetryPeriodMs,
          logger,
          onStartedLeading: () => this.startWorkers(),
          onStoppedLeading: () => void this.stopWorkers('lost or released the leader lease'),
        })
      : undefined;

    metrics.watchQueue({ depth: () => this.queue?.depth() ?? 0, delayedCount: () => this.queue?.delayedCount() ?? 0 });
    metrics.watchLeadership(() => this.queue !== undefined);
    metrics.watchCheckRuns(this.checkRuns);
    metrics.watchEventQueue(recorder);
    metrics.registry.beforeRender(() => {
      const counts = new Map<string, number>();
      for (const canary of this.canaries.store.list()) {
        const namespace = canary.metadata?.namespace ?? '';
        counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
      }
      metrics.setCanaryTotals(counts);
    });
  }

  store<T extends KubeObject>(type: ResourceType<T>): ReadonlyObjectStore<T> {
    const store = this.storeByType.get(type);
    if (!store) throw new Error(`no informer for ${resourceName(type)}`);
    return store as ReadonlyObjectStore<T>;
  }

  readinessChecks(): ReadinessCheck[] {
    return [informersSyncedCheck(this.informers), ...(this.elector ? [leaderElectionCheck(this.elector)] : [])];
  }

  /** Starts the informers; once they have synced, the workers (or the leader election that starts them). */
  async start(): Promise<void> {
    this.informers.startAll();
    await this.informers.waitForSync(INFORMER_SYNC_TIMEOUT_MS);
    this.deps.logger.info('informers synced', { canaries: this.canaries.store.size });
    if (this.stopping) return;
    if (this.elector) this.elector.start();
    else this.startWorkers();
  }

  /** Graceful shutdown: finish the reconciles in flight, end the term, hand over leadership, stop watching. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.stopWorkers('shutting down');
    if (this.elector) await this.elector.stop({ release: true });
    await this.informers.stopAll();
    await this.events.drain();
  }

  private addInformer<T extends KubeObject>(
    type: ResourceType<T>,
    informerOptions: { metadataOnly?: boolean } = {},
  ): Informer<T> {
    const { options, access, logger, metrics } = this.deps;
    const informer = this.informers.add(
      createNamespacesInformer(
        { access, type, ...informerOptions, logger, onRestart: (reason) => metrics.countInformerRestart(type, reason) },
        options.namespaces,
      ),
    );
    informer.addHandler({ onDelete: (object) => forgetWriteOf(this.recentWrites, type, object) });
    metrics.watchInformer(informer);
    this.storeByType.set(type, informer.store);
    return informer;
  }

  private startWorkers(): void {
    if (this.queue || this.stopping) return;
    const { logger, metrics, options } = this.deps;
    const elector = this.elector;
    this.term = new LeadershipTerm(elector && (() => elector.leaseProblem()));
    const queue = new DelayingWorkQueue({ timers: systemTimers });
    this.queue = queue;
    for (const key of this.canaries.store.keys()) queue.add(key);
    this.optIn = this.startOptIn();
    logger.info('workers started', { workers: options.workers, canaries: this.canaries.store.size });
    this.workers = runWorkers({
      queue,
      workers: options.workers,
      reconcile: (key) => this.reconciler.reconcile(key),
      onProcessed: (report) => {
        const seconds = report.durationMs / 1000;
        if (report.error === undefined) {
          metrics.observeReconcile('success', seconds);
          return;
        }
        const described = describeError(report.error);
        metrics.observeReconcile(described.reason === 'Conflict' ? 'conflict' : 'error', seconds);
        logger.error('reconcile failed; retrying with backoff', { key: report.key, ...described });
      },
    });
  }

  /**
   * Stops the workers and the opt-in, waiting for reconciles in flight; concurrent calls share one stop. Losing the
   * lease ends the term at once (its writes and checks are cancelled); a graceful stop ends it once the reconciles
   * in flight have finished.
   */
  private stopWorkers(why: string): Promise<void> {
    const queue = this.queue;
    if (!queue) return this.workersStopped ?? Promise.resolve();
    const term = this.term;
    if (!this.stopping) term?.end(why);
    this.checkRuns.forgetAll(why);
    const workers = this.workers;
    const optIn = this.optIn;
    this.queue = undefined;
    this.workers = undefined;
    this.optIn = undefined;
    queue.shutDown();
    const stopped = Promise.all([workers, optIn?.stop()]).then(async () => {
      // Still inside the term on a graceful stop: the Events of the last reconciles are written, for a bounded time.
      if (!term?.signal.aborted) await this.eventRecorder.drain(EVENT_DRAIN_TIMEOUT_MS);
      term?.end(why);
      if (this.term === term) this.term = undefined;
      this.deps.logger.info('workers stopped', { why });
    });
    this.workersStopped = stopped;
    return stopped;
  }
}
