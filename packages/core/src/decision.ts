// What the core tells the shell to do after one reconcile.
import type { CanaryStatus } from '@linnet/api';
import type { PlannedWebhookCall } from './checks.ts';
import type { TrafficRoutes } from './observation.ts';
import type { DeploymentStrategy } from './strategy.ts';

/** Session-affinity cookies ("<name>=<value>") the router must render with the routes. */
export interface SessionAffinityCookies {
  readonly canary?: string;
  readonly primary?: string;
  /** The previous run's canary cookie; the router expires it (Max-Age=-1). */
  readonly previous?: string;
}

/**
 * What must still hold when an action that copies the target into the primary is carried out: the target revision
 * and the tracked config checksums the decision was made from. The shell checks the preconditions of all of a
 * decision's actions before its first write; if one no longer holds it writes nothing (not the status either) and
 * reconciles again, so the core decides from what changed — a promotion is all or nothing.
 */
export interface TargetPreconditions {
  readonly targetRevision: string;
  /** Checksums keyed like Observation.configChecksums; only these configs are compared. */
  readonly configChecksums: Readonly<Record<string, string>>;
}

/**
 * Side effects, in the order they must happen. Every action is idempotent: after a crash the next reconcile
 * re-decides from the persisted status and may issue the same actions again.
 */
export type Action =
  | { readonly type: 'addFinalizer' }
  | { readonly type: 'removeFinalizer' }
  /**
   * Create `<target>-primary` from the target (marked with `revision`, read back as Observation.primaryRevision),
   * its `-primary` ConfigMaps/Secrets and primary autoscaler if missing. Never updates existing objects.
   */
  | { readonly type: 'ensurePrimary'; readonly revision: string; readonly preconditions: TargetPreconditions }
  /**
   * Apply the generated Services and traffic objects with this split. Between setRoutes actions the shell keeps
   * reconciling those objects with the weights it reads back, never resetting them.
   */
  | { readonly type: 'setRoutes'; readonly routes: TrafficRoutes; readonly cookies?: SessionAffinityCookies }
  | { readonly type: 'scaleTargetToZero' }
  /** `fromZero`: Flagger's ScaleFromZero rule; `matchPrimary`: the primary's replica count (revert on deletion). */
  | { readonly type: 'scaleTargetUp'; readonly replicas: 'fromZero' | 'matchPrimary' }
  | { readonly type: 'pauseTargetScaler' }
  | { readonly type: 'resumeTargetScaler' }
  /** Copy the tracked ConfigMaps/Secrets to their `-primary` copies. */
  | { readonly type: 'syncPrimaryConfigs'; readonly preconditions: TargetPreconditions }
  /**
   * Copy the target's pod template to the primary, mark the primary with `revision` (read back as
   * Observation.primaryRevision) and reconcile the primary autoscaler. Never carried out while its preconditions
   * (the target is still `revision`, its configs unchanged) do not hold.
   */
  | { readonly type: 'promote'; readonly revision: string; readonly preconditions: TargetPreconditions }
  /** Revert on deletion: restore the apex Service selector and the original VirtualService. */
  | { readonly type: 'revertRouting' }
  /** Fire-and-report post-rollout webhooks; a failure only yields a Warning event (postRolloutHookFailedMessage). */
  | { readonly type: 'runPostRolloutHooks'; readonly calls: readonly PlannedWebhookCall[] }
  /** Count the end of a run (flagger_canary_successes_total / flagger_canary_failures_total). */
  | {
      readonly type: 'recordRunOutcome';
      readonly outcome: 'success' | 'failure';
      readonly deploymentStrategy: DeploymentStrategy;
      readonly analysisStatus: 'completed' | 'skipped';
    };

export type ActionType = Action['type'];

/** A Kubernetes event on the Canary. `reason` is a machine reason (e.g. AdvanceWeight), not Flagger's "Synced". */
export interface CanaryEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface AlertField {
  readonly title: string;
  readonly value: string;
}

/** A notification for the Canary's alert providers (Slack, Teams, ...), filtered by severity by the shell. */
export interface CanaryAlertMessage {
  readonly severity: 'info' | 'warn' | 'error';
  readonly message: string;
  /** Target, failed-checks threshold, progress deadline and traffic routing (Flagger's "metadata" alerts). */
  readonly fields: readonly AlertField[];
}

export interface Decision {
  /** The complete next status. Deep-equal to the observed status when nothing changed: skip the write then. */
  readonly status: CanaryStatus;
  readonly actions: readonly Action[];
  readonly events: readonly CanaryEvent[];
  readonly alerts: readonly CanaryAlertMessage[];
  /** Reconcile again after this many milliseconds at the latest (0 = at once); watch events may come sooner. */
  readonly requeueAfterMs: number;
  /** Machine reason of the decision (also status.lastDecision.reason). */
  readonly reason: string;
  /** Human-readable account of the decision (also status.lastDecision.message). */
  readonly explanation: string;
}
