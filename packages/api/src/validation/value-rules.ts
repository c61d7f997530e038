import { formatDuration, tryParseDuration } from '../duration.ts';
import { MAX_TIMER_MS } from '../limits.ts';
import { asObject, asString, describeValue } from './raw-value.ts';
import { DURATION_MESSAGE } from './schema-problems.ts';
import type { PathSegment, ReportProblem } from './validation-problem.ts';

// Checks on single values that the schema cannot express, shared by the resource validators.

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
}

export function checkHttpUrl(value: unknown, path: readonly PathSegment[], report: ReportProblem): void {
  const url = asString(value);
  if (url !== undefined && url !== '' && !isHttpUrl(url)) {
    report(path, `must be an absolute http or https URL (got ${describeValue(url)})`);
  }
}

export function checkDuration(value: unknown, path: readonly PathSegment[], report: ReportProblem): void {
  const duration = asString(value);
  if (duration !== undefined && tryParseDuration(duration) === undefined) {
    report(path, `${DURATION_MESSAGE} (got ${describeValue(duration)})`);
  }
}

/** Why the longest wait is what it is, for messages. */
export const MAX_TIMER_REASON = '2^31−1 ms, about 24.8 days: the longest wait a timer can hold';
const MAX_TIMER_MESSAGE = `must be at most ${formatDuration(MAX_TIMER_MS)} (${MAX_TIMER_REASON})`;

/**
 * A duration that becomes a timer or a deadline: a Go duration, longer than 0s (`zeroMessage` says why), and no
 * longer than a timer can wait. Huge values such as 99999999999999999999m are refused rather than overflowing.
 */
export function checkTimerDuration(
  value: unknown,
  path: readonly PathSegment[],
  report: ReportProblem,
  zeroMessage: string,
): void {
  const duration = asString(value);
  if (duration === undefined) return;
  const ms = tryParseDuration(duration);
  if (ms === undefined) report(path, `${DURATION_MESSAGE} (got ${describeValue(duration)})`);
  else if (ms <= 0) report(path, `${zeroMessage} (got ${describeValue(duration)})`);
  else if (ms > MAX_TIMER_MS) report(path, `${MAX_TIMER_MESSAGE} (got ${describeValue(duration)})`);
}

/** Istio's StringMatch is a oneOf: at most one of its keys (exactly one when `required` is set). */
export function checkStringMatch(
  value: unknown,
  path: readonly PathSegment[],
  report: ReportProblem,
  options: { keys: readonly string[]; required: boolean },
): void {
  const match = asObject(value);
  if (!match) return;
  const set = options.keys.filter((key) => match[key] !== undefined);
  if (set.length > 1) report(path, `must set only one of ${options.keys.join(', ')} (got ${set.join(' and ')})`);
  else if (set.length === 0 && options.required) report(path, `must set one of ${options.keys.join(', ')}`);
}

/** Reports every element whose `name` repeats an earlier one. */
export function checkUniqueNames(items: readonly unknown[], path: readonly PathSegment[], report: ReportProblem): void {
  const firstIndex = new Map<string, number>();
  const listName = String(path.at(-1) ?? 'items');
  items.forEach((item, index) => {
    const name = asString(asObject(item)?.name);
    if (name === undefined) return;
    const earlier = firstIndex.get(name);
    if (earlier === undefined) firstIndex.set(name, index);
    else
      report(
        [...path, index, 'name'],
        `must be unique (${JSON.stringify(name)} is already used by ${listName}[${earlier}])`,
      );
  });
}

export function checkTypeMeta(
  resource: unknown,
  expected: { apiVersion: string; kind: string },
  report: ReportProblem,
): void {
  const object = asObject(resource);
  if (!object) return;
  for (const key of ['apiVersion', 'kind'] as const) {
    const actual = asString(object[key]);
    if (actual !== undefined && actual !== expected[key]) {
      report([key], `must be ${expected[key]} (got ${describeValue(actual)})`);
    }
  }
  const metadata = asObject(object.metadata);
  if (metadata && asString(metadata.name) === undefined && asString(metadata.generateName) === undefined) {
    report(['metadata', 'name'], 'is required');
  }
}
