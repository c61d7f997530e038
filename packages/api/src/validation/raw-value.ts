import type { PathSegment } from './validation-problem.ts';

// Cross-field rules read the unparsed input, so that they can run even when other parts fail the schema. Each
// accessor returns undefined for a value of the wrong type; the schema check reports that one.

export type RawObject = Readonly<Record<string, unknown>>;

export const asObject = (value: unknown): RawObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawObject) : undefined;
export const asArray = (value: unknown): readonly unknown[] | undefined => (Array.isArray(value) ? value : undefined);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
export const asBoolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof segment === 'number') current = asArray(current)?.[segment];
    else current = asObject(current)?.[segment];
    if (current === undefined) return undefined;
  }
  return current;
}

/** A short rendering of a value for messages: strings quoted, structures named rather than dumped. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
