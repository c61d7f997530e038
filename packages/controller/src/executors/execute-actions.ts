// Carries out a decision's actions, in the order the core gave them. First the preconditions of all actions are
// checked: if one no longer holds nothing is written and the outcome says so (the core decides again from what
// changed). Each action is idempotent; a failure stops the rest (the status is then not written, so the next
// reconcile decides again from the same state).
import type { Action, CanaryEvent, DeploymentStrategy } from '@linnet/core';
import { describeError } from '../observability/index.ts';
import { ActionError, type ExecutionContext } from './execution-context.ts';
import { unmetActionPrecondition } from './action-preconditions.ts';
import { setFinalizer } from './canary-finalizer.ts';
import { ensurePrimary, promote } from './primary-workload.ts';
import { syncPrimaryConfigs } from './primary-configs.ts';
import { revertRouting } from './revert-routing.ts';
import { scaleTargetToZero, scaleTargetUp } from './target-scaling.ts';
import { applyTrafficObjects } from './traffic-objects.ts';

export interface RunOutcome {
  outcome: 'success' | 'failure';
  deploymentStrategy: DeploymentStrategy;
  analysisStatus: 'completed' | 'skipped';
}

export interface ActionsReport {
  /** Events the actions themselves produced (post-rollout hook results). */
  events: CanaryEvent[];
  /** Run outcomes to count (flagger_canary_successes_total / failures_total). */
  outcomes: RunOutcome[];
}

/** The decision was carried out, or — because one of its preconditions no longer held — not at all. */
export type ExecutionOutcome =
  ({ kind: 'executed' } & ActionsReport) | { kind: 'preconditions-unmet'; message: string };

export async function executeActions(ctx: ExecutionContext, actions: readonly Action[]): Promise<ExecutionOutcome> {
  const unmet = unmetActionPrecondition(ctx, actions);
  if (unmet !== undefined) return { kind: 'preconditions-unmet', message: unmet };
  const report: ExecutionOutcome = { kind: 'executed', events: [], outcomes: [] };
  for (const action of actions) {
    try {
      await execute(ctx, action, report);
      ctx.logger.debug('action done', { action: action.type });
    } catch (error) {
      const { reason, error: message } = describeError(error);
      throw new ActionError(reason, `${action.type} failed: ${message}`, { cause: error });
    }
  }
  return report;
}

async function execute(ctx: ExecutionContext, action: Action, report: ActionsReport): Promise<void> {
  switch (action.type) {
    case 'addFinalizer':
      return setFinalizer(ctx, true);
    case 'removeFinalizer':
      return setFinalizer(ctx, false);
    case 'ensurePrimary':
      return ensurePrimary(ctx, action.revision);
    case 'setRoutes':
      return applyTrafficObjects(ctx, action.routes, action.cookies);
    case 'scaleTargetToZero':
      return scaleTargetToZero(ctx);
    case 'scaleTargetUp':
      return scaleTargetUp(ctx, action.replicas);
    case 'pauseTargetScaler':
    case 'resumeTargetScaler':
      // An HPA does not scale a Deployment at zero replicas, which is how Flagger "pauses" it; KEDA is not supported.
      return;
    case 'syncPrimaryConfigs':
      return syncPrimaryConfigs(ctx, { onlyMissing: false });
    case 'promote':
      return promote(ctx, action.revision);
    case 'revertRouting':
      return revertRouting(ctx);
    case 'runPostRolloutHooks':
      ctx.startPostRolloutHooks(action.calls);
      return;
    case 'recordRunOutcome':
      report.outcomes.push({
        outcome: action.outcome,
        deploymentStrategy: action.deploymentStrategy,
        analysisStatus: action.analysisStatus,
      });
      return;
  }
}
