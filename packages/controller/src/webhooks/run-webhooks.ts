import {
  normaliseWebhookType,
  type CanaryIdentity,
  type WebhookClient,
  type WebhookDefinition,
  type WebhookResult,
  type WebhookType,
} from './webhook-types.ts';

export interface WebhookRunContext {
  canary: CanaryIdentity;
  phase: string;
  checksum: string;
}

export interface GateRun {
  /** True when every hook of the type succeeded (also when there were none). */
  passed: boolean;
  /** One result per hook called, in spec order; the failing one, if any, is last. */
  results: WebhookResult[];
}

export interface RollbackRun {
  /** True when a rollback hook answered ≤ 202: the canary must be rolled back. */
  rollbackRequested: boolean;
  results: WebhookResult[];
}

/** The hooks of one type in spec order ("" counts as rollout). */
export function selectWebhooks<T extends WebhookDefinition>(hooks: readonly T[] | undefined, type: WebhookType): T[] {
  return (hooks ?? []).filter((hook) => normaliseWebhookType(hook.type) === type);
}

/**
 * Runs the hooks of a type sequentially in spec order and stops at the first failure, as Flagger does for every
 * gate and check type (confirm-*, pre-/post-rollout, rollout).
 */
export async function runWebhooksUntilFailure(
  client: WebhookClient,
  hooks: readonly WebhookDefinition[] | undefined,
  type: Exclude<WebhookType, 'rollback' | 'event'>,
  context: WebhookRunContext,
): Promise<GateRun> {
  const results: WebhookResult[] = [];
  for (const webhook of selectWebhooks(hooks, type)) {
    const result = await client.call({ webhook, ...context });
    results.push(result);
    if (!result.succeeded) return { passed: false, results };
  }
  return { passed: true, results };
}

/** Rollback hooks have inverted meaning: the first one that succeeds requests the rollback; the rest are skipped. */
export async function runRollbackWebhooks(
  client: WebhookClient,
  hooks: readonly WebhookDefinition[] | undefined,
  context: WebhookRunContext,
): Promise<RollbackRun> {
  const results: WebhookResult[] = [];
  for (const webhook of selectWebhooks(hooks, 'rollback')) {
    const result = await client.call({ webhook, ...context });
    results.push(result);
    if (result.succeeded) return { rollbackRequested: true, results };
  }
  return { rollbackRequested: false, results };
}
