// Event, alert and condition texts. Flagger's wording wherever Flagger has one (reference §1.4, §2, §7, §8.2), so
// users' searches, dashboards and runbooks keep working; Linnet-only situations get texts in the same voice.
import type { HookType } from './checks.ts';

/** Display names used in messages: "<canary>.<ns>", "<target>.<ns>", "<target>-primary.<ns>". */
export interface MessageNames {
  readonly canary: string;
  readonly target: string;
  readonly primary: string;
  readonly targetKind: string;
}

export const messages = {
  suspended: () => 'skipping canary run as object is suspended',
  initializing: (n: MessageNames) => `New ${n.targetKind} detected, starting initialization.`,
  initialized: (n: MessageNames) => `Initialization done! ${n.canary}`,
  initializedAlert: (n: MessageNames) => `New ${n.targetKind} detected, initialization completed.`,
  newRevision: (n: MessageNames) => `New revision detected! Scaling up ${n.target}`,
  newRevisionAlert: () => 'New revision detected, progressing canary analysis.',
  restartAnalysis: (n: MessageNames) => `New revision detected! Restarting analysis for ${n.target}`,
  startingAnalysis: (n: MessageNames) => `Starting canary analysis for ${n.target}`,
  advanceWeight: (n: MessageNames, weight: number) => `Advance ${n.canary} canary weight ${weight}`,
  startMirroring: (n: MessageNames) => `Advance ${n.canary} mirroring traffic to the canary`,
  advanceIteration: (n: MessageNames, iteration: number, of: number) =>
    `Advance ${n.canary} canary iteration ${iteration}/${of}`,
  routeAllToCanary: (mirrored: boolean) =>
    mirrored ? 'Stop traffic mirroring and route all traffic to canary' : 'Routing all traffic to canary',
  copyingTemplate: (n: MessageNames) => `Copying ${n.target} template spec to ${n.primary}`,
  routeAllToPrimary: () => 'Routing all traffic to primary',
  advancePrimaryWeight: (n: MessageNames, weight: number) => `Advance ${n.canary} primary weight ${weight}`,
  promotionCompleted: (n: MessageNames) => `Promotion completed! Scaling down ${n.target}`,
  promotionCompletedAlert: () => 'Canary analysis completed successfully, promotion finished.',
  skippedCompleted: (n: MessageNames) => `Promotion completed! Canary analysis was skipped for ${n.target}`,
  skippedCompletedAlert: () => 'Canary analysis was skipped, promotion finished.',
  promotionFailed: (n: MessageNames, reason: string) => `Promotion of ${n.target} failed, primary not ready: ${reason}`,
  thresholdReached: (n: MessageNames, failedChecks: number) =>
    `Rolling back ${n.canary} failed checks threshold reached ${failedChecks}`,
  thresholdReachedAlert: (failedChecks: number) => `Failed checks threshold reached ${failedChecks}`,
  progressDeadline: (n: MessageNames, reason: string) =>
    `Rolling back ${n.canary} progress deadline exceeded ${reason}`,
  progressDeadlineAlert: (reason: string) => `Progress deadline exceeded ${reason}`,
  primaryFailed: (n: MessageNames, reason: string) => `Rolling back ${n.canary} primary not ready: ${reason}`,
  manualRollback: (n: MessageNames) => `Rolling back ${n.canary} manual webhook invoked`,
  manualRollbackAlert: () => 'Rolling back manual webhook invoked',
  canaryFailed: (n: MessageNames) => `Canary failed! Scaling down ${n.canary}`,
  primaryMissing: (n: MessageNames, what: string) => `${what}: initializing ${n.canary} again from ${n.target}`,
  targetReverted: (n: MessageNames) =>
    `${n.target} was reverted to the revision ${n.primary} runs: ending the analysis, all traffic to ${n.primary}`,
  targetDeleted: (n: MessageNames) =>
    `${n.target} was deleted during the run: all traffic to ${n.primary}; waiting for ${n.target} to be created again`,
  terminating: (n: MessageNames) => `Terminating canary ${n.canary}`,
  terminated: (n: MessageNames) => `Terminated canary ${n.canary}`,
  finalising: (n: MessageNames, drain: string) =>
    `Waiting ${drain} for in-flight requests to drain before scaling down ${n.target}`,
  waitingForApproval: (n: MessageNames, hook: string) => `Halt ${n.canary} advancement waiting for approval ${hook}`,
  waitingForApprovalAlert: () => 'Canary is waiting for approval.',
  waitingForTrafficIncrease: (n: MessageNames, hook: string) =>
    `Halt ${n.canary} advancement waiting for traffic increase approval ${hook}`,
  waitingForTrafficIncreaseAlert: () => 'Canary traffic increase is waiting for approval.',
  waitingForPromotion: (n: MessageNames, hook: string) =>
    `Halt ${n.canary} advancement waiting for promotion approval ${hook}`,
  waitingForPromotionAlert: () => 'Canary promotion is waiting for approval.',
  preRolloutFailed: (n: MessageNames, hook: string, error: string) =>
    `Halt ${n.canary} advancement pre-rollout check ${hook} failed ${error}`,
  rolloutFailed: (n: MessageNames, hook: string, error: string) =>
    `Halt ${n.canary} advancement external check ${hook} failed ${error}`,
  rollbackHookSilent: (hook: string) => `Rollback hook ${hook} not signaling a rollback`,
  unusableMetric: (metric: string) =>
    `Metric query failed for no usable metrics template and query were configured (metric ${metric})`,
} as const;

const PASSED_CHECK_LABEL: Partial<Record<HookType, string>> = {
  'confirm-rollout': 'Confirm-rollout',
  'pre-rollout': 'Pre-rollout',
  'confirm-traffic-increase': 'Confirm-traffic-increase',
  'confirm-promotion': 'Confirm-promotion',
  'post-rollout': 'Post-rollout',
  rollback: 'Rollback',
};

/** "Pre-rollout check <hook> passed" etc.; rollout and event hooks have no success event. */
export function hookPassedMessage(hookType: HookType, hook: string): string | undefined {
  const label = PASSED_CHECK_LABEL[hookType];
  return label === undefined ? undefined : `${label} check ${hook} passed`;
}

/** For the shell, which runs post-rollout hooks after the decision. */
export function postRolloutHookFailedMessage(hook: string, error: string): string {
  return `Post-rollout hook ${hook} failed ${error}`;
}
