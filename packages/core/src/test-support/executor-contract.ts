// The contract every executor of the core's actions keeps, as one test suite run against the simulated world
// (packages/core/src/executor-contract.test.ts) and against the controller's real executors on the local cluster
// (packages/controller/test/executor-contract.itest.ts): the preconditions of all of a decision's actions are
// checked before its first write, and a decision whose preconditions no longer hold writes nothing.
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Action, TargetPreconditions } from '../decision.ts';

export type ExecutionOutcome = { readonly kind: 'executed' } | { readonly kind: 'preconditions-unmet' };

/** The primary as an executor left it: its revision mark and the checksums its `-primary` config copies hold. */
export interface PrimaryState {
  readonly revision: string | undefined;
  readonly configChecksums: Readonly<Record<string, string>>;
}

/** One world (simulated or real) with a target that uses one tracked ConfigMap. */
export interface ExecutorHarness {
  /** A fresh target (image v1, config "v1") and its primary created from it. */
  setUp(): Promise<void>;
  setImage(image: string): Promise<void>;
  setConfig(value: string): Promise<void>;
  /** The target's revision and config checksums as the next observation would see them. */
  observeTarget(): Promise<TargetPreconditions>;
  execute(actions: readonly Action[]): Promise<ExecutionOutcome>;
  primary(): Promise<PrimaryState>;
}

const promotionOf = (decidedFrom: TargetPreconditions): Action[] => [
  { type: 'syncPrimaryConfigs', preconditions: decidedFrom },
  { type: 'promote', revision: decidedFrom.targetRevision, preconditions: decidedFrom },
];

export function describeExecutorContract(world: string, harness: ExecutorHarness, timeoutMs = 5_000): void {
  describe(`executor contract (${world})`, () => {
    beforeEach(() => harness.setUp(), timeoutMs);

    it(
      'promotes the revision and the configs the decision was made from',
      async () => {
        await harness.setImage('v2');
        await harness.setConfig('v2');
        const decidedFrom = await harness.observeTarget();
        expect(await harness.execute(promotionOf(decidedFrom))).toEqual({ kind: 'executed' });
        expect(await harness.primary()).toEqual({
          revision: decidedFrom.targetRevision,
          configChecksums: decidedFrom.configChecksums,
        });
      },
      timeoutMs,
    );

    it(
      'writes nothing — not even the config copies — when the target moved to another revision after the decision',
      async () => {
        const before = await harness.primary();
        await harness.setImage('v2');
        await harness.setConfig('v2');
        const decidedFrom = await harness.observeTarget();
        await harness.setImage('v3');
        expect(await harness.execute(promotionOf(decidedFrom))).toEqual({ kind: 'preconditions-unmet' });
        expect(await harness.primary()).toEqual(before);
      },
      timeoutMs,
    );

    it(
      'writes nothing when a tracked config changed after the decision',
      async () => {
        const before = await harness.primary();
        await harness.setImage('v2');
        const decidedFrom = await harness.observeTarget();
        await harness.setConfig('v3');
        expect(await harness.execute(promotionOf(decidedFrom))).toEqual({ kind: 'preconditions-unmet' });
        expect(await harness.primary()).toEqual(before);
      },
      timeoutMs,
    );

    it(
      'does not create a primary from a target that changed after the decision',
      async () => {
        const before = await harness.primary();
        const decidedFrom = await harness.observeTarget();
        await harness.setImage('v2');
        const ensure: Action = {
          type: 'ensurePrimary',
          revision: decidedFrom.targetRevision,
          preconditions: decidedFrom,
        };
        expect(await harness.execute([ensure])).toEqual({ kind: 'preconditions-unmet' });
        expect(await harness.primary()).toEqual(before);
      },
      timeoutMs,
    );
  });
}
