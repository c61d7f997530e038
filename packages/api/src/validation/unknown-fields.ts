import type { OpenApiSchema } from '../crd/openapi-schema.ts';
import { asArray, asObject } from './raw-value.ts';
import type { PathSegment, ReportProblem } from './validation-problem.ts';

// The API server silently drops fields its schema does not list (kubectl's strict validation rejects them), so
// a misspelt `stepWeigth` would otherwise vanish without a word. Reported with the closest known name.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(candidate.length / 4)) && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

export function reportUnknownFields(
  value: unknown,
  schema: OpenApiSchema,
  path: readonly PathSegment[],
  report: ReportProblem,
): void {
  const object = asObject(value);
  if (object && schema.type === 'object') {
    if (schema['x-kubernetes-preserve-unknown-fields']) return;
    const known = schema.properties ?? {};
    for (const [key, child] of Object.entries(object)) {
      const childSchema = known[key] ?? schema.additionalProperties;
      if (childSchema) {
        reportUnknownFields(child, childSchema, [...path, key], report);
        continue;
      }
      const suggestion = closestName(key, Object.keys(known));
      report(
        [...path, key],
        `is not a known field and would be dropped by the API server${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
    }
    return;
  }
  const items = asArray(value);
  if (items && schema.items) {
    const itemSchema = schema.items;
    items.forEach((item, index) => reportUnknownFields(item, itemSchema, [...path, index], report));
  }
}
