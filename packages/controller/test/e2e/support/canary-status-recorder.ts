// Records what `kubectl get canary -w` would print (STATUS, WEIGHT, LASTTRANSITIONTIME) for one Canary, from a
// watch, so every status write is seen, not just those a poll happens to catch.
import type { CanaryPhase } from '@linnet/api';
import type { KubeAccess } from '../../../src/kube/index.ts';
import { e2eTypes, type CanaryObject } from './cluster-objects.ts';
import { waitUntil, type WaitOptions } from './deadline.ts';

export interface CanaryStatusRow {
  /** status.phase ("" before the first status write). */
  status: CanaryPhase;
  /** status.canaryWeight. */
  weight: number;
  /** status.lastTransitionTime. */
  lastTransitionTime: string;
  /** When the test saw this row (ISO time). */
  observedAt: string;
  failedChecks: number;
  /** status.nextCheckTime ("" when none is scheduled). */
  nextCheckTime: string;
  /** status.lastDecision.reason / message, for failure messages. */
  decision: string;
}

export interface CanaryStatusRecorder {
  /** Every distinct row seen, in order (a row repeats only if something in between differed). */
  rows(): CanaryStatusRow[];
  /** The latest Canary object seen. */
  latest(): CanaryObject | undefined;
  /** "STATUS/WEIGHT" of every row with consecutive duplicates collapsed, e.g. ["Initialized/0", "Progressing/0"]. */
  sequence(): string[];
  /** The rows as a `kubectl get canary -w` table (plus the time each was seen). */
  table(): string;
  /** Waits until a row satisfies `predicate` (checking rows already seen first). */
  waitFor(what: string, predicate: (row: CanaryStatusRow) => boolean, options: WaitOptions): Promise<CanaryStatusRow>;
  /** Waits until a row recorded at index `sinceRow` or later has one of `phases`. */
  waitForPhase(phases: readonly CanaryPhase[], sinceRow: number, options: WaitOptions): Promise<CanaryStatusRow>;
  stop(): Promise<void>;
}

/** Starts watching the Canary `name` (it need not exist yet). */
export function recordCanaryStatus(access: KubeAccess, namespace: string, name: string): CanaryStatusRecorder {
  const rows: CanaryStatusRow[] = [];
  let latest: CanaryObject | undefined;
  const stopper = new AbortController();

  const observe = (canary: CanaryObject): void => {
    latest = canary;
    const status = canary.status ?? {};
    const row: CanaryStatusRow = {
      status: status.phase ?? '',
      weight: status.canaryWeight ?? 0,
      lastTransitionTime: status.lastTransitionTime ?? '',
      observedAt: new Date().toISOString(),
      failedChecks: status.failedChecks ?? 0,
      nextCheckTime: status.nextCheckTime ?? '',
      decision: status.lastDecision ? `${status.lastDecision.reason}: ${status.lastDecision.message}` : '',
    };
    const previous = rows.at(-1);
    const same =
      previous &&
      previous.status === row.status &&
      previous.weight === row.weight &&
      previous.lastTransitionTime === row.lastTransitionTime &&
      previous.failedChecks === row.failedChecks &&
      previous.nextCheckTime === row.nextCheckTime;
    if (!same) rows.push(row);
  };

  const loop = (async () => {
    const fieldSelector = `metadata.name=${name}`;
    while (!stopper.signal.aborted) {
      try {
        const listed = await access.list(e2eTypes.canary, { namespace, fieldSelector, signal: stopper.signal });
        for (const canary of listed.items) observe(canary);
        const events = access.watch(e2eTypes.canary, {
          namespace,
          fieldSelector,
          resourceVersion: listed.resourceVersion,
          timeoutSeconds: 300,
          signal: stopper.signal,
        });
        for await (const event of events) {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') observe(event.object);
        }
      } catch {
        // A broken watch (or a Gone) lists again; any gap is at most one status write that a relist shows.
        if (!stopper.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  })();

  return {
    rows: () => [...rows],
    latest: () => latest,
    sequence: () => statusSequence(rows),
    table: () => formatStatusTable(name, rows),
    waitFor: (what, predicate, options) =>
      waitUntil(
        what,
        () => {
          const found = rows.find(predicate);
          if (found) return { done: true, value: found };
          const last = rows.at(-1);
          return { done: false, seen: last ? `${last.status}/${last.weight} (${last.decision})` : 'no status yet' };
        },
        { intervalMs: 50, ...options },
      ),
    waitForPhase: (phases, sinceRow, options) =>
      waitUntil(
        `phase ${phases.join(' or ')}`,
        () => {
          const found = rows.slice(sinceRow).find((row) => phases.includes(row.status));
          return found ? { done: true, value: found } : { done: false, seen: rows.at(-1)?.status ?? '-' };
        },
        { intervalMs: 50, ...options },
      ),
    stop: async () => {
      stopper.abort();
      await loop;
    },
  };
}

/** "STATUS/WEIGHT" of each row with consecutive repeats collapsed, e.g. ["Progressing/10", "Progressing/20"]. */
export function statusSequence(rows: readonly Pick<CanaryStatusRow, 'status' | 'weight'>[]): string[] {
  const collapsed: string[] = [];
  for (const row of rows) {
    const entry = `${row.status}/${row.weight}`;
    if (collapsed.at(-1) !== entry) collapsed.push(entry);
  }
  return collapsed;
}

export function formatStatusTable(name: string, rows: readonly CanaryStatusRow[]): string {
  const header = ['NAME', 'STATUS', 'WEIGHT', 'LASTTRANSITIONTIME', 'OBSERVED'];
  const lines = rows.map((row) => [name, row.status, String(row.weight), row.lastTransitionTime, row.observedAt]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  return [header, ...lines]
    .map((line) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('   '))
    .join('\n');
}
