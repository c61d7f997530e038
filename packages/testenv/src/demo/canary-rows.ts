import type { Canary } from '@linnet/api';

/**
 * The rows `kubectl get canary -w` prints (NAME, STATUS, WEIGHT, LASTTRANSITIONTIME — the CRD's printer columns),
 * plus FAILEDCHECKS (a column of `-o wide`) and when the demo saw the row. Pure.
 */
export interface CanaryRow {
  readonly name: string;
  /** status.phase; "" before the controller's first status write. */
  readonly status: string;
  readonly weight: number;
  readonly lastTransitionTime: string;
  readonly failedChecks: number;
  /** status.lastDecision.message: why the controller did what it did last. */
  readonly decision: string;
  /** Wall-clock time the demo saw the row (ms since the epoch). */
  readonly seenAtMs: number;
}

export function canaryRow(canary: Canary, seenAtMs: number): CanaryRow {
  const status = canary.status;
  return {
    name: canary.metadata.name ?? '',
    status: status?.phase ?? '',
    weight: status?.canaryWeight ?? 0,
    lastTransitionTime: status?.lastTransitionTime ?? '',
    failedChecks: status?.failedChecks ?? 0,
    decision: status?.lastDecision?.message ?? '',
    seenAtMs,
  };
}

/** A new row is printed when a printed column changes (kubectl prints one per status write; most change none). */
export function rowChanged(previous: CanaryRow | undefined, next: CanaryRow): boolean {
  return (
    previous === undefined ||
    previous.status !== next.status ||
    previous.weight !== next.weight ||
    previous.lastTransitionTime !== next.lastTransitionTime ||
    previous.failedChecks !== next.failedChecks
  );
}

const WIDTHS = [10, 14, 8, 27, 14] as const;

function line(cells: readonly string[]): string {
  return cells
    .map((cell, index) => (index < WIDTHS.length ? cell.padEnd(WIDTHS[index] ?? 0) : cell))
    .join('')
    .trimEnd();
}

export const ROW_HEADER = line(['NAME', 'STATUS', 'WEIGHT', 'LASTTRANSITIONTIME', 'FAILEDCHECKS', 'SEEN']);

/** One row; SEEN is the time the demo saw it, as seconds after `sinceMs` (the start of the step being shown). */
export function formatRow(row: CanaryRow, sinceMs: number): string {
  const seen = `+${((row.seenAtMs - sinceMs) / 1000).toFixed(1)}s`;
  return line([
    row.name,
    row.status || '(none)',
    String(row.weight),
    row.lastTransitionTime,
    String(row.failedChecks),
    seen,
  ]);
}

/** "12.3 s" or "2 min 05 s". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
