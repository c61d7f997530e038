import { describe, expect, it } from '@jest/globals';
import type { CheckBatch, CheckResult, PlannedCheck, PlannedWebhookCall } from '@linnet/core';
import { CanaryCheckRuns } from './canary-check-runs.ts';
import type { CanaryCheck } from './check-runner.ts';

const KEY = 'apps/podinfo';

function hook(index: number): PlannedWebhookCall {
  return {
    kind: 'webhook',
    id: `webhooks[${index}]`,
    hookType: 'rollout',
    webhook: { name: `hook-${index}`, type: 'rollout', url: 'http://hook', timeout: '10s', retries: 0 },
    payload: { name: 'podinfo', namespace: 'apps', phase: 'Progressing', checksum: 'x' },
  } as PlannedWebhookCall;
}

function batchOf(checks: PlannedCheck[], runUntil: CheckBatch['runUntil'] = 'first-failure'): CheckBatch {
  return { purpose: 'rollout', checks, runUntil };
}

/** plan() of a round that needs `batch` once: done as soon as any result is in. */
const planOnce =
  (batch: CheckBatch) =>
  (results: readonly CheckResult[]): CheckBatch | undefined =>
    results.length === 0 ? batch : undefined;

/** A check client whose calls the test answers (or never answers), recording each call's signal. */
class ControlledChecks {
  readonly calls: Array<{ check: PlannedCheck; signal: AbortSignal; answer(ok: boolean): void }> = [];

  readonly run: CanaryCheck = (check, signal) =>
    new Promise<CheckResult>((resolve) => {
      this.calls.push({ check, signal, answer: (ok) => resolve({ kind: 'webhook', id: check.id, ok }) });
    });

  answer(index: number, ok: boolean): void {
    const call = this.calls[index];
    if (!call) throw new Error(`no call ${index}`);
    call.answer(ok);
  }
}

function setUp() {
  const enqueued: string[] = [];
  const dueTimes: number[] = [];
  const clock = { nowMs: 1_000 };
  const runs = new CanaryCheckRuns({
    enqueue: (key, dueAtMs) => {
      enqueued.push(key);
      dueTimes.push(dueAtMs);
    },
    nowMs: () => clock.nowMs,
  });
  return { runs, enqueued, dueTimes, clock, checks: new ControlledChecks() };
}

/** Lets the batch's promise chain run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CanaryCheckRuns', () => {
  it('starts a planned batch without waiting for it, then enqueues the Canary and hands over the results', async () => {
    const { runs, enqueued, checks } = setUp();
    const batch = batchOf([hook(0)]);

    expect(runs.progress(KEY, 'round-1', planOnce(batch), checks.run)).toEqual({ kind: 'running', batch });
    // A reconcile meanwhile (a watch event) joins the running batch instead of starting another.
    expect(runs.progress(KEY, 'round-1', planOnce(batch), checks.run).kind).toBe('running');
    expect(checks.calls).toHaveLength(1);
    expect(runs.inFlight()).toBe(1);

    checks.answer(0, true);
    await settle();
    expect(enqueued).toEqual([KEY]);
    expect(runs.inFlight()).toBe(0);
    const ready = runs.progress(KEY, 'round-1', planOnce(batch), checks.run);
    expect(ready).toMatchObject({ kind: 'ready', results: [{ kind: 'webhook', id: 'webhooks[0]', ok: true }] });
  });

  it('keeps the core runUntil semantics within a batch: a failed gate ends it', async () => {
    const { runs, checks } = setUp();
    runs.progress(KEY, 'round-1', planOnce(batchOf([hook(0), hook(1)])), checks.run);
    checks.answer(0, false);
    await settle();
    expect(checks.calls).toHaveLength(1);
    const ready = runs.progress(KEY, 'round-1', () => undefined, checks.run);
    expect(ready).toMatchObject({ kind: 'ready', results: [{ id: 'webhooks[0]', ok: false }] });
  });

  it('runs the batches of one round one after another, collecting their results', async () => {
    const { runs, enqueued, dueTimes, clock, checks } = setUp();
    const first = batchOf([hook(0)]);
    const second: CheckBatch = { purpose: 'metrics', checks: [hook(1)], runUntil: 'all' };
    const plan = (results: readonly CheckResult[]) => [first, second][results.length];

    runs.progress(KEY, 'round-1', plan, checks.run);
    clock.nowMs += 500;
    checks.answer(0, true);
    await settle();
    expect(runs.progress(KEY, 'round-1', plan, checks.run)).toEqual({ kind: 'running', batch: second });
    clock.nowMs += 500;
    checks.answer(1, true);
    await settle();
    expect(enqueued).toEqual([KEY, KEY]);
    // Each finished batch re-queues the Canary as due when its round began, ahead of work that arrived since.
    expect(dueTimes).toEqual([1_000, 1_000]);
    const ready = runs.progress(KEY, 'round-1', plan, checks.run);
    expect(ready.kind === 'ready' && ready.results.map((result) => result.id)).toEqual(['webhooks[0]', 'webhooks[1]']);
  });

  it('cancels and discards the running batch when the Canary moves to another round (a new revision)', async () => {
    const { runs, enqueued, checks } = setUp();
    const batch = batchOf([hook(0)]);
    runs.progress(KEY, 'revision-1', planOnce(batch), checks.run);

    runs.progress(KEY, 'revision-2', planOnce(batch), checks.run);
    expect(checks.calls[0]?.signal.aborted).toBe(true);
    expect(checks.calls).toHaveLength(2);

    checks.answer(0, true); // the old call answers late: ignored
    await settle();
    expect(enqueued).toEqual([]);
    expect(runs.progress(KEY, 'revision-2', planOnce(batch), checks.run).kind).toBe('running');
  });

  it('frees a deleted Canary at once, even when its check client ignores the signal', () => {
    const { runs, enqueued, checks } = setUp();
    runs.progress(KEY, 'round-1', planOnce(batchOf([hook(0)])), checks.run);
    runs.progress('other/canary', 'round-1', planOnce(batchOf([hook(0)])), checks.run);
    expect(runs.inFlight()).toBe(2);

    runs.forget(KEY);
    expect(checks.calls[0]?.signal.aborted).toBe(true);
    expect(runs.inFlight()).toBe(1);
    expect(runs.canaryCount()).toBe(1);
    runs.forgetAll('leadership ended');
    expect(runs.inFlight()).toBe(0);
    expect(runs.canaryCount()).toBe(0);
    expect(enqueued).toEqual([]);
  });

  it('consumes the results with the decision that used them: the next decision starts a new round', async () => {
    const { runs, checks } = setUp();
    const batch = batchOf([hook(0)]);
    runs.progress(KEY, 'round-1', planOnce(batch), checks.run);
    checks.answer(0, false);
    await settle();
    expect(runs.progress(KEY, 'round-1', planOnce(batch), checks.run).kind).toBe('ready');

    runs.consume(KEY, 'round-1');
    expect(runs.canaryCount()).toBe(0);
    expect(runs.progress(KEY, 'round-1', planOnce(batch), checks.run).kind).toBe('running');
    expect(checks.calls).toHaveLength(2);
  });

  it('refuses a batch planned again after it ran, instead of running it forever', async () => {
    const { runs, checks } = setUp();
    const batch = batchOf([hook(0)]);
    runs.progress(KEY, 'round-1', () => batch, checks.run);
    checks.answer(0, true);
    await settle();
    expect(() => runs.progress(KEY, 'round-1', () => batch, checks.run)).toThrow(/planned again/);
    expect(runs.canaryCount()).toBe(0);
  });

  it('reports a batch that failed without a result on the next reconcile', async () => {
    const { runs, enqueued } = setUp();
    const wrongId: CanaryCheck = async () => ({ kind: 'webhook', id: 'webhooks[9]', ok: true });
    runs.progress(KEY, 'round-1', planOnce(batchOf([hook(0)])), wrongId);
    await settle();
    expect(enqueued).toEqual([KEY]);
    expect(() => runs.progress(KEY, 'round-1', planOnce(batchOf([hook(0)])), wrongId)).toThrow(/webhooks\[9\]/);
  });
});
