// @linnet/controller: the imperative shell around @linnet/core. The process entry point is main.ts
// (docs/controller.md); this module exposes its parts for embedding and tests, one namespace per room so that
// names such as CanaryIdentity stay unambiguous.
export { ControllerRuntime, CanaryReconciler, type ControllerRuntimeDeps } from './reconcile/index.ts';
export * as reconcile from './reconcile/index.ts';
export * as executors from './executors/index.ts';
export * as builders from './builders/index.ts';
export * as kube from './kube/index.ts';
export * as informers from './informers/index.ts';
export * as queue from './queue/index.ts';
export * as leader from './leader/index.ts';
export * as http from './http/index.ts';
export * as observability from './observability/index.ts';
export * as flags from './flags/index.ts';
export * as metricsProviders from './metrics-providers/index.ts';
export * as webhooks from './webhooks/index.ts';
export * as optIn from './opt-in/index.ts';
