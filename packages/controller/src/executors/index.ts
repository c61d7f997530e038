// Executors: carry out the core's actions against the cluster (server-side apply as field manager "linnet", merge
// patches for scaling and finalizers).
export { executeActions, type ActionsReport, type ExecutionOutcome, type RunOutcome } from './execute-actions.ts';
export { applyTrafficObjects } from './traffic-objects.ts';
export { applyIfChanged, isContainedIn, APPLIED_HASH_ANNOTATION } from './apply-if-changed.ts';
export { ActionError, type ExecutionContext, type ExecutorOptions } from './execution-context.ts';
export { runPostRolloutHooks } from './post-rollout-hooks.ts';
