// One reconcile of one Canary, as data flows (docs/controller.md "One reconcile"): observe the caches → validate →
// plan the due checks (started in the background by CanaryCheckRuns, never awaited here) → decide once their
// results are in → execute the actions → publish events → write the status (optimistic concurrency) → update
// metrics → requeue. A status conflict re-reads the Canary and decides again with the same results.
import { isDeepStrictEqual } from 'node:util';
import {
  ACTION_ANNOTATION,
  ACTION_REQUESTED_AT_ANNOTATION,
  pendingManualAction,
  type CanaryStatus,
  type ManualActionRequest,
} from '@linnet/api';
import {
  analysisIntervalMs,
  decide,
  plan,
  type CanaryEvent,
  type CoreTimings,
  type Decision,
  type PlannedWebhookCall,
  type TrafficRoutes,
} from '@linnet/core';
import { listConfigReferences } from '../builders/index.ts';
import {
  ActionError,
  applyTrafficObjects,
  executeActions,
  runPostRolloutHooks,
  type ExecutionContext,
} from '../executors/index.ts';
import { ConflictError, NotFoundError, parseObjectKey, type KubeAccess } from '../kube/index.ts';
import type { ReconcileResult } from '../queue/index.ts';
import { describeError, objectLogger, type ControllerMetrics, type Logger } from '../observability/index.ts';
import type { WebhookClient } from '../webhooks/index.ts';
import type { CanaryEventPublisher } from './canary-events.ts';
import type { CanaryIndex } from './canary-index.ts';
import { canaryMetricIdentity } from './canary-metric-identity.ts';
import { blockedStatus, isNewBlocker, withoutReconciledCondition } from './canary-status.ts';
import type { CanaryCheckRuns } from './canary-check-runs.ts';
import { checkScheduleKey } from './check-schedule-key.ts';
import { canaryCheck, type MetricsProviderPool } from './check-runner.ts';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import type { ClusterView, ClusterWriter } from './cluster-view.ts';
import { CANARY_FINALIZER, observeCanary, type Blocker, type ObservedCanary } from './observe-canary.ts';

export interface ReconcilerOptions {
  selectorLabels: readonly string[];
  includeLabelPrefixes: readonly string[];
  meshProvider: string;
  enableConfigTracking: boolean;
  /** -metrics-server. */
  metricsServer: string;
  timings: CoreTimings;
  /** Requeue of a blocked Canary (its fix usually arrives as a watch event first). Default 60 s. */
  blockedRetryMs?: number;
}

export interface CanaryReconcilerDeps {
  access: KubeAccess;
  view: ClusterView;
  writer: ClusterWriter;
  events: CanaryEventPublisher;
  webhookClient: WebhookClient;
  metricsProviders: MetricsProviderPool;
  /** Runs the Canaries' checks outside the reconcile. */
  checkRuns: CanaryCheckRuns;
  metrics: ControllerMetrics;
  index: CanaryIndex;
  options: ReconcilerOptions;
  logger: Logger;
  now?: () => Date;
}

/** Conflicting status writes tolerated in one reconcile before the queue's backoff takes over. */
const MAX_CONFLICT_RETRIES = 3;

type Attempt = { kind: 'done'; result: ReconcileResult } | { kind: 'conflict' };

export class CanaryReconciler {
  private readonly deps: CanaryReconcilerDeps;
  private readonly now: () => Date;

  constructor(deps: CanaryReconcilerDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace = '', name } = parseObjectKey(key);
    let canary = this.deps.view.get(clusterTypes.canary, namespace, name);
    // Events already recorded in this reconcile: a decision repeated after a conflict does not record them twice.
    const published = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      if (!canary) {
        this.forget(key);
        return {};
      }
      const outcome = await this.reconcileOnce(key, canary, published);
      if (outcome.kind === 'done') return outcome.result;
      if (attempt >= MAX_CONFLICT_RETRIES) {
        throw new ConflictError(`Canary ${key}: status write conflicted ${attempt} times`);
      }
      // Someone else changed the Canary since it was read: decide again from what the API server has now.
      canary = await this.deps.access.get(clusterTypes.canary, { namespace, name });
    }
  }

  /** The Canary is gone: drop what Linnet kept for it, /metrics series included (also those a reconcile in flight
   * during the deletion wrote after the informer's delete handler ran). */
  private forget(key: string): void {
    const targetName = this.deps.index.targetNameOf(key);
    if (targetName !== undefined) {
      this.deps.metrics.forgetCanary({ targetName, namespace: parseObjectKey(key).namespace ?? '' });
    }
    this.deps.index.remove(key);
    this.deps.checkRuns.forget(key);
  }

  private async reconcileOnce(key: string, canary: CanaryResource, published: Set<string>): Promise<Attempt> {
    const logger = objectLogger(this.deps.logger, {
      namespace: canary.metadata?.namespace ?? '',
      name: canary.metadata?.name ?? '',
    });
    this.indexCanary(key, canary, logger);
    await this.deps.view.loadConfigsOf(canary);
    const now = this.now();
    const observed = observeCanary(canary, this.deps.view, this.deps.options, now);
    if (observed.kind === 'blocked') {
      this.deps.checkRuns.forget(key, 'the Canary is blocked');
      return this.reportBlocked(canary, observed, now, logger);
    }

    const ctx: ExecutionContext = {
      observed,
      canary,
      view: this.deps.view,
      writer: this.deps.writer,
      webhookClient: this.deps.webhookClient,
      startPostRolloutHooks: (calls) => this.startPostRolloutHooks(ctx, calls, logger),
      options: this.deps.options,
      logger,
    };
    const { observation } = observed;
    await this.correctTrafficDrift(ctx);

    const { timings } = this.deps.options;
    const scheduleKey = checkScheduleKey(observation, canary.metadata?.generation);
    const checks = this.deps.checkRuns.progress(
      key,
      scheduleKey,
      (completed) => plan(observation, completed, timings),
      canaryCheck(canary, {
        webhookClient: this.deps.webhookClient,
        metricsProviders: this.deps.metricsProviders,
        view: this.deps.view,
        defaultMetricsServer: this.deps.options.metricsServer,
        onMetricValue: (metric, value) =>
          this.deps.metrics.setMetricAnalysis(canaryMetricIdentity(canary), metric, value),
      }),
    );
    if (checks.kind === 'running') {
      logger.debug('checks running', {
        purpose: checks.batch.purpose,
        checks: checks.batch.checks.map((check) => check.id),
      });
      // The finished batch enqueues the Canary; this requeue only covers a batch that outlives its interval.
      return { kind: 'done', result: { requeueAfterMs: analysisIntervalMs(observation.spec.analysis, timings) } };
    }
    const { results } = checks;
    const decision = decide(observation, results, timings);
    logger.debug('decided', {
      reason: decision.reason,
      explanation: decision.explanation,
      actions: decision.actions.map((action) => action.type),
      requeueAfterMs: decision.requeueAfterMs,
    });

    let actionEvents: CanaryEvent[];
    try {
      const report = await executeActions(ctx, decision.actions);
      if (report.kind === 'preconditions-unmet') return decisionOutdated(report.message, logger);
      actionEvents = report.events;
      for (const outcome of report.outcomes) {
        this.deps.metrics.countOutcome(
          canaryMetricIdentity(canary),
          outcome.outcome,
          outcome.deploymentStrategy,
          outcome.analysisStatus,
        );
      }
    } catch (error) {
      if (error instanceof ActionError && error.cause instanceof ConflictError) return { kind: 'conflict' };
      await this.reportActionFailure(ctx.canary, error, logger);
      throw error;
    }

    const status = withoutReconciledCondition(decision.status);
    // Events describe actions already taken. They are queued here and written in the background (in order per
    // Canary), so the status write does not wait for them; as with client-go's recorder, a crash can lose the last
    // few.
    const events = [...decision.events, ...actionEvents].filter((event) => !published.has(eventKey(event)));
    await this.deps.events.publish({ ...ctx.canary, status }, events, logger);
    for (const event of events) published.add(eventKey(event));
    const written = await this.writeStatus(ctx.canary, status, decision.reason, logger);
    if (written === 'conflict') return { kind: 'conflict' };
    this.deps.checkRuns.consume(key, scheduleKey);
    // Only now that the status records the request (and the phase it led to) may the request be removed.
    if (isRecorded(observation.manualAction, observation.status, status)) {
      await this.removeManualAction(written, observation.manualAction, logger);
    } else if (!observation.spec.suspend) {
      await this.removeMalformedManualAction(written, logger);
    }

    this.deps.events.sendAlerts(written, decision.alerts, decision.explanation, logger);
    this.updateMetrics(observed, decision, results.length > 0 ? checks.checksMs : undefined);
    return { kind: 'done', result: { requeueAfterMs: decision.requeueAfterMs } };
  }

  /** Post-rollout hooks answer after the reconcile has finished; their events are recorded then. */
  private startPostRolloutHooks(ctx: ExecutionContext, calls: readonly PlannedWebhookCall[], logger: Logger): void {
    void runPostRolloutHooks(ctx, calls)
      .then((events) => this.deps.events.publish(ctx.canary, events, logger))
      .catch((error: unknown) => logger.warn('post-rollout hook events not recorded', describeError(error)));
  }

  /**
   * Between setRoutes actions the traffic objects are re-applied with the weights Istio holds now, so a deleted
   * Service or an edited VirtualService is put right without moving traffic. Only while there are routes to keep.
   */
  private async correctTrafficDrift(ctx: ExecutionContext): Promise<void> {
    const { observation, liveRoutes } = ctx.observed;
    const phase = observation.status.phase ?? '';
    if (!liveRoutes || observation.spec.suspend || observation.deletion.requested) return;
    if (phase === '' || phase === 'Initializing' || phase === 'Terminating' || phase === 'Terminated') return;
    const status = observation.status;
    const cookies = observation.spec.analysis.sessionAffinity
      ? {
          canary: status.sessionAffinityCookie,
          primary: status.primarySessionAffinityCookie,
          previous: status.previousSessionAffinityCookie,
        }
      : undefined;
    await applyTrafficObjects(ctx, liveRoutes, cookies);
  }

  /** Writes the status through the status subresource unless nothing changed; 'conflict' if the Canary moved on. */
  private async writeStatus(
    canary: CanaryResource,
    status: CanaryStatus,
    reason: string,
    logger: Logger,
  ): Promise<CanaryResource | 'conflict'> {
    if (sameJson(status, canary.status ?? {})) return { ...canary, status };
    // After the finalizer is removed from a deleted Canary the object is gone: nothing left to write.
    if (canary.metadata?.deletionTimestamp && !canary.metadata.finalizers?.includes(CANARY_FINALIZER)) {
      return { ...canary, status };
    }
    try {
      const written = await this.deps.writer.replaceStatus(clusterTypes.canary, { ...canary, status });
      logger.debug('status written', { phase: status.phase, canaryWeight: status.canaryWeight, reason });
      return written;
    } catch (error) {
      if (error instanceof ConflictError) {
        logger.debug('status write conflicted; deciding again', describeError(error));
        return 'conflict';
      }
      if (error instanceof NotFoundError) return { ...canary, status };
      throw error;
    }
  }

  /**
   * Removes a handled manual-control request unless a newer one replaced it meanwhile (docs/cli.md). Guarded by the
   * resourceVersion, which has the effect of acknowledgeManualActionPatch's test operations: on a conflict the
   * Canary is read again and the removal retried only while it still holds this request.
   */
  private async removeManualAction(
    canary: CanaryResource,
    request: ManualActionRequest,
    logger: Logger,
  ): Promise<void> {
    const locator = { namespace: canary.metadata?.namespace, name: canary.metadata?.name ?? '' };
    let current: CanaryResource | undefined = canary;
    for (let attempt = 1; current && holdsRequest(current, request); attempt++) {
      try {
        await this.deps.writer.mergePatch(clusterTypes.canary, current, clearManualActionPatch(current));
        logger.debug('manual action acknowledged', { ...request });
        return;
      } catch (error) {
        if (error instanceof NotFoundError) return;
        if (!(error instanceof ConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        current = await this.deps.access.get(clusterTypes.canary, locator);
      }
    }
    // A newer request replaced this one: the update that wrote it enqueues the Canary again.
  }

  /** A record with an unknown action is reported once and removed (docs/cli.md). */
  private async removeMalformedManualAction(canary: CanaryResource, logger: Logger): Promise<void> {
    const pending = pendingManualAction(canary.metadata?.annotations);
    if (pending.kind !== 'malformed') return;
    await this.deps.events.publish(
      canary,
      [{ type: 'Warning', reason: 'ManualActionInvalid', message: `manual action ignored: ${pending.message}` }],
      logger,
    );
    try {
      await this.deps.writer.mergePatch(clusterTypes.canary, canary, clearManualActionPatch(canary));
    } catch (error) {
      // Changed meanwhile (perhaps a valid request now): the next reconcile looks again.
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    }
  }

  private async reportBlocked(canary: CanaryResource, blocker: Blocker, now: Date, logger: Logger): Promise<Attempt> {
    const previous = canary.status ?? {};
    // A deleted Canary whose target is gone cannot be reverted: let it go.
    if (canary.metadata?.deletionTimestamp && canary.metadata.finalizers?.includes(CANARY_FINALIZER)) {
      const finalizers = canary.metadata.finalizers.filter((finalizer) => finalizer !== CANARY_FINALIZER);
      try {
        await this.deps.writer.mergePatch(clusterTypes.canary, canary, {
          metadata: { finalizers, resourceVersion: canary.metadata.resourceVersion },
        });
      } catch (error) {
        if (error instanceof ConflictError) return { kind: 'conflict' };
        throw error;
      }
      return { kind: 'done', result: {} };
    }
    const status = blockedStatus(previous, blocker, now.toISOString());
    const written = await this.writeStatus(canary, status, blocker.reason, logger);
    if (written === 'conflict') return { kind: 'conflict' };
    if (isNewBlocker(previous, blocker)) {
      await this.deps.events.publish(
        written,
        [{ type: 'Warning', reason: blocker.reason, message: blocker.message }],
        logger,
      );
    }
    return { kind: 'done', result: { requeueAfterMs: this.deps.options.blockedRetryMs ?? 60_000 } };
  }

  private async reportActionFailure(canary: CanaryResource, error: unknown, logger: Logger): Promise<void> {
    const { reason, error: message } = describeError(error);
    logger.error('action failed; retrying with backoff', { reason, error: message });
    await this.deps.events.publish(canary, [{ type: 'Warning', reason, message }], logger);
  }

  /** Keeps the target and config indexes current, so changes to them enqueue this Canary. */
  private indexCanary(key: string, canary: CanaryResource, logger: Logger): void {
    const namespace = canary.metadata?.namespace ?? '';
    const { kind, name } = canary.spec.targetRef ?? {};
    if ((kind !== 'Deployment' && kind !== 'DaemonSet') || !name) return;
    const sharing = this.deps.index.setTarget(key, kind, namespace, name);
    if (sharing.length > 0) {
      logger.warn('more than one Canary targets the same workload; they will fight over it', {
        target: `${kind}/${name}`,
        others: sharing,
      });
    }
    const type = kind === 'Deployment' ? clusterTypes.deployment : clusterTypes.daemonSet;
    const target = this.deps.view.get(type, namespace, name);
    this.deps.index.setConfigs(key, namespace, listConfigReferences(target?.spec?.template.spec));
  }

  private updateMetrics(observed: ObservedCanary, decision: Decision, checksMs: number | undefined): void {
    const identity = canaryMetricIdentity(observed.canary);
    const metrics = this.deps.metrics;
    metrics.setStatus(identity, decision.status.phase ?? '');
    const routes = routesAfter(observed, decision);
    if (routes) metrics.setWeight(identity, routes.primaryWeight, routes.canaryWeight);
    if (checksMs !== undefined) metrics.observeAnalysisDuration(identity, checksMs / 1000);
  }
}

/**
 * The world moved on while the decision was made (its checks can take seconds): nothing was written, and the core
 * decides again at once from what changed.
 */
function decisionOutdated(message: string, logger: Logger): Attempt {
  logger.info('decision not carried out: a precondition no longer holds; deciding again', { reason: message });
  return { kind: 'done', result: { requeueAfterMs: 0 } };
}

/**
 * The decision recorded the pending request in status.lastManualAction (acted on or discarded, now or in an earlier
 * reconcile that stopped before removing it). A request without a time counts only when recorded just now.
 */
function isRecorded(
  request: ManualActionRequest | undefined,
  before: CanaryStatus,
  after: CanaryStatus,
): request is ManualActionRequest {
  const last = after.lastManualAction;
  if (!request || last?.action !== request.action || last.requestedAt !== request.requestedAt) return false;
  return request.requestedAt !== '' || !sameJson(last, before.lastManualAction);
}

function holdsRequest(canary: CanaryResource, request: ManualActionRequest): boolean {
  const pending = pendingManualAction(canary.metadata?.annotations);
  return (
    pending.kind === 'request' &&
    pending.request.action === request.action &&
    pending.request.requestedAt === request.requestedAt
  );
}

function eventKey(event: CanaryEvent): string {
  return `${event.type}\u0000${event.reason}\u0000${event.message}`;
}

/** Equal as the API server would store them: undefined members dropped, key order ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** The split Istio holds after the decision: the last setRoutes, else what was read back. */
function routesAfter(observed: ObservedCanary, decision: Decision): TrafficRoutes | undefined {
  const lastSet = decision.actions.findLast((action) => action.type === 'setRoutes');
  if (lastSet?.type === 'setRoutes') return lastSet.routes;
  return observed.liveRoutes;
}

/** Removes the manual action record, guarded by the resourceVersion it was read at. */
function clearManualActionPatch(canary: CanaryResource): Record<string, unknown> {
  return {
    metadata: {
      resourceVersion: canary.metadata?.resourceVersion,
      annotations: { [ACTION_ANNOTATION]: null, [ACTION_REQUESTED_AT_ANNOTATION]: null },
    },
  };
}
