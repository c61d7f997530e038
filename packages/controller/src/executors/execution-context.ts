// What an executor needs to carry out one decision's actions for one Canary.
import type { DefaultedCanarySpec } from '@linnet/api';
import type { PlannedWebhookCall } from '@linnet/core';
import type { BuilderCanary } from '../builders/index.ts';
import type { Logger } from '../observability/index.ts';
import type { CanaryResource } from '../reconcile/cluster-types.ts';
import type { ClusterView, ClusterWriter } from '../reconcile/cluster-view.ts';
import type { ObservedCanary } from '../reconcile/observe-canary.ts';
import type { WebhookClient } from '../webhooks/index.ts';

export interface ExecutorOptions {
  /** -selector-labels. */
  selectorLabels: readonly string[];
  /** -include-label-prefix. */
  includeLabelPrefixes: readonly string[];
}

export interface ExecutionContext {
  readonly observed: ObservedCanary;
  /** The Canary as last written; finalizer patches replace it so the status write uses the latest version. */
  canary: CanaryResource;
  readonly view: ClusterView;
  readonly writer: ClusterWriter;
  readonly webhookClient: WebhookClient;
  /**
   * Starts the post-rollout hooks without waiting for them (a reconcile never awaits an external call); their
   * outcome is recorded as events when they have answered.
   */
  readonly startPostRolloutHooks: (calls: readonly PlannedWebhookCall[]) => void;
  readonly options: ExecutorOptions;
  readonly logger: Logger;
}

export function namespaceOf(ctx: ExecutionContext): string {
  return ctx.observed.observation.canary.namespace;
}

export function specOf(ctx: ExecutionContext): DefaultedCanarySpec {
  return ctx.observed.spec;
}

/** The kind of spec.targetRef (observation only proceeds for these two). */
export function targetKindOf(ctx: ExecutionContext): 'Deployment' | 'DaemonSet' {
  return ctx.observed.spec.targetRef.kind === 'DaemonSet' ? 'DaemonSet' : 'Deployment';
}

/** The Canary as the builders take it: identity (with uid, for owner references) and the defaulted spec. */
export function builderCanary(ctx: ExecutionContext): BuilderCanary {
  const metadata = ctx.canary.metadata ?? {};
  return {
    metadata: { name: metadata.name, namespace: metadata.namespace, uid: metadata.uid },
    spec: ctx.observed.spec,
  };
}

/** A failed action, carrying a machine reason for the Warning event and the logs. */
export class ActionError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ActionError';
    this.reason = reason;
  }
}
