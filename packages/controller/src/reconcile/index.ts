// The reconcile loop: observe a Canary from the caches, let the core plan and decide, execute, write the status.
export { ControllerRuntime, type ControllerRuntimeDeps } from './controller-runtime.ts';
export { CanaryReconciler, type CanaryReconcilerDeps, type ReconcilerOptions } from './canary-reconciler.ts';
export { CanaryIndex } from './canary-index.ts';
export { CanaryEventPublisher, type CanaryEventPublisherOptions } from './canary-events.ts';
export { ClusterView, ClusterWriter, type CacheStores } from './cluster-view.ts';
export { RecentWrites } from './recent-writes.ts';
export { canaryCheck, MetricsProviderPool, type CanaryCheck, type CheckRunnerDeps } from './check-runner.ts';
export { CanaryCheckRuns, CheckCancelledError, type CheckProgress } from './canary-check-runs.ts';
export { checkScheduleKey } from './check-schedule-key.ts';
export {
  observeCanary,
  revisionOf,
  CANARY_FINALIZER,
  PRIMARY_REVISION_ANNOTATION,
  type Blocker,
  type BlockerReason,
  type ObservedCanary,
  type ObserveOptions,
} from './observe-canary.ts';
export { deploymentReadiness, daemonSetReadiness, type ReadinessPolicy } from './workload-readiness.ts';
export { trackedConfigsOf, CONFIG_TRACKING_ANNOTATION, type TrackedConfigs } from './tracked-configs.ts';
export { RECONCILED_CONDITION } from './canary-status.ts';
export { clusterTypes, type CanaryResource, type Workload } from './cluster-types.ts';
