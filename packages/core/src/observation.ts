// What the shell tells the core about one Canary at one instant. Plain data only: the core never reads a clock,
// a cache or a random source, so the same Observation always yields the same plan and decision.
import type { CanaryStatus, DefaultedCanarySpec, ManualActionRequest } from '@linnet/api';

export type { ManualActionRequest };

export interface CanaryIdentity {
  readonly name: string;
  readonly namespace: string;
  /** metadata.generation of the Canary; copied to status.observedGeneration. */
  readonly generation?: number;
}

/**
 * Readiness of a workload as the shell judged it (reference §3.3). `waiting` is retriable (rollout in progress,
 * generation not observed yet, scaled to zero, not created yet); `failed` is not (progress deadline exceeded).
 */
export type Readiness =
  | { readonly state: 'ready' }
  | {
      readonly state: 'waiting';
      readonly message: string;
      /** The workload's controller has not observed its latest spec yet (generation ahead of observedGeneration). */
      readonly specUnobserved?: boolean;
    }
  | { readonly state: 'failed'; readonly message: string };

/** A traffic split as read back from the router, or as the core wants it. Weights are 0..100 and sum to 100. */
export interface TrafficRoutes {
  readonly primaryWeight: number;
  readonly canaryWeight: number;
  /** Traffic to the primary is mirrored to the canary. */
  readonly mirrored: boolean;
}

export interface DeletionState {
  /** metadata.deletionTimestamp is set. */
  readonly requested: boolean;
  /** Linnet's finalizer (finalizer.flagger.app) is on the Canary. */
  readonly finalizerPresent: boolean;
}

export interface Observation {
  readonly canary: CanaryIdentity;
  /** The spec with withCanaryDefaults applied. */
  readonly spec: DefaultedCanarySpec;
  /** The persisted status; `{}` for a Canary that was never reconciled. */
  readonly status: CanaryStatus;
  /** The effective traffic provider: spec.provider, else the controller's default (e.g. "istio"). */
  readonly provider: string;
  /** podTemplateHash of the target's pod template as it is now. */
  readonly targetHash: string;
  /** configChecksum of every tracked ConfigMap/Secret, keyed "configmap/<name>" / "secret/<name>". */
  readonly configChecksums: Readonly<Record<string, string>>;
  /**
   * The target was deleted after initialization (the primary still exists). targetHash and configChecksums then
   * repeat status.lastAppliedSpec and status.trackedConfigs, targetReplicas is 0 and canaryReadiness is waiting.
   */
  readonly targetMissing?: boolean;
  /**
   * What of the primary (its workload, its `-primary` config copies) does not exist, e.g. "Deployment
   * podinfo-primary.test not found"; undefined when all of it exists. Something deleted it (garbage collection after
   * the Canary was deleted and applied again, a user): it is created again.
   */
  readonly primaryMissing?: string;
  /** spec.replicas of the target (0 once Linnet scaled it down). */
  readonly targetReplicas: number;
  readonly primaryReadiness: Readiness;
  /** Readiness of the target (the canary pods). */
  readonly canaryReadiness: Readiness;
  /**
   * The targetHash the primary was last promoted from, as written by the `promote` action onto the primary (so a
   * lagging cache cannot pass the old primary off as the promoted one); undefined if the primary carries none.
   */
  readonly primaryRevision?: string;
  /** Routes read back from the router; undefined when the traffic objects do not exist or carry no routes. */
  readonly routes: TrafficRoutes | undefined;
  readonly now: Date;
  readonly deletion: DeletionState;
  /**
   * Ten random letters each, drawn by the shell for every reconcile; the core uses them only when it issues a new
   * session-affinity cookie, so the decision stays a function of its input.
   */
  readonly freshCookieValues: { readonly canary: string; readonly primary: string };
  /**
   * The pending manual-control request (linnet promote|abort|retry, docs/cli.md), read from the Canary's
   * annotations; undefined when there is none. Once status.lastManualAction records it, the shell removes it.
   */
  readonly manualAction?: ManualActionRequest;
}
