import type { z } from 'zod';
import type { OpenApiSchema } from '../crd/openapi-schema.ts';
import { FLAGGER_DURATION_PATTERN } from '../schema/canary-analysis.ts';
import { describeValue, valueAt } from './raw-value.ts';
import type { PathSegment, ReportProblem } from './validation-problem.ts';

// Turns zod issues into messages a user understands. The expectation is read from the generated OpenAPI schema
// of the field (integer or number, both bounds of a range, int-or-string), which the zod issue alone lacks.

export const DURATION_MESSAGE = 'must be a duration such as 30s, 5m or 1m30s';

function schemaAt(root: OpenApiSchema, path: readonly PathSegment[]): OpenApiSchema | undefined {
  let current: OpenApiSchema | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    current =
      typeof segment === 'number' ? current.items : (current.properties?.[segment] ?? current.additionalProperties);
  }
  return current;
}

function expectedKind(schema: OpenApiSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (schema['x-kubernetes-int-or-string']) return 'an integer or a string';
  switch (schema.type) {
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return schema.additionalProperties ? 'a map of names to values' : 'an object';
    default:
      return undefined;
  }
}

function rangeMessage(schema: OpenApiSchema | undefined, value: unknown, fallback: string): string {
  const { minimum, maximum } = schema ?? {};
  const got = `(got ${describeValue(value)})`;
  if (minimum !== undefined && maximum !== undefined) return `must be between ${minimum} and ${maximum} ${got}`;
  if (minimum !== undefined) return `must be at least ${minimum} ${got}`;
  if (maximum !== undefined) return `must be at most ${maximum} ${got}`;
  return fallback;
}

function sizeMessage(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, value: unknown): string {
  const limit = Number('maximum' in issue ? issue.maximum : issue.minimum);
  const bound = issue.code === 'too_big' ? 'at most' : 'at least';
  if (Array.isArray(value)) {
    return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'} (got ${value.length})`;
  }
  if (typeof value === 'string') {
    if (issue.code === 'too_small' && limit === 1) return 'must not be empty';
    return `must be ${bound} ${limit} characters long (got ${value.length})`;
  }
  return issue.message;
}

function formatMessage(issue: z.core.$ZodIssueInvalidStringFormat, value: unknown): string {
  const got = `(got ${describeValue(value)})`;
  if (issue.format === 'regex' && issue.pattern === String(FLAGGER_DURATION_PATTERN))
    return `${DURATION_MESSAGE} ${got}`;
  if (issue.format === 'regex' && issue.pattern) return `must match the pattern ${issue.pattern} ${got}`;
  return `must be a valid ${issue.format} ${got}`;
}

const toPathSegments = (path: readonly PropertyKey[]): PathSegment[] =>
  path.map((key) => (typeof key === 'symbol' ? String(key.description) : key));

function friendlyMessage(issue: z.core.$ZodIssue, root: OpenApiSchema, input: unknown): string {
  const path = toPathSegments(issue.path);
  const value = valueAt(input, path);
  const schema = schemaAt(root, path);
  const aboutTheValue =
    issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value';
  if (value === undefined && aboutTheValue) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_union': {
      const expected = expectedKind(schema) ?? (issue.code === 'invalid_type' ? `a ${issue.expected}` : undefined);
      return expected ? `must be ${expected} (got ${describeValue(value)})` : issue.message;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')} (got ${describeValue(value)})`;
    case 'too_small':
    case 'too_big':
      return typeof value === 'number' ? rangeMessage(schema, value, issue.message) : sizeMessage(issue, value);
    case 'invalid_format':
      return formatMessage(issue, value);
    case 'unrecognized_keys':
      return `has unknown fields ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

/** Reports every issue of a failed zod parse as a problem with a friendly message. */
export function reportSchemaIssues(
  issues: readonly z.core.$ZodIssue[],
  root: OpenApiSchema,
  input: unknown,
  report: ReportProblem,
): void {
  for (const issue of issues) {
    report(toPathSegments(issue.path), friendlyMessage(issue, root, input));
  }
}
