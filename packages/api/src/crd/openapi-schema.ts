import { z } from 'zod';

/** The subset of Kubernetes' JSONSchemaProps that Linnet's CRDs use. */
export interface OpenApiSchema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: OpenApiSchema;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
}

export class UnsupportedSchemaError extends Error {
  readonly reason = 'UnsupportedSchema';
}

// z.number().int() carries JavaScript's safe-integer bounds; they are not user-facing limits.
const SAFE_INTEGER_BOUND = Number.MAX_SAFE_INTEGER;

function isIntOrString(schema: z.ZodUnion): boolean {
  const [first, second, ...rest] = schema.options;
  if (!first || !second || rest.length > 0) return false;
  const kinds = [first, second].map((option) =>
    option instanceof z.ZodNumber && option.isInt ? 'int' : option instanceof z.ZodString ? 'string' : 'other',
  );
  return kinds.includes('int') && kinds.includes('string');
}

// The checks attached with .regex(), .min() and .max(), read from the definition because zod fills its computed
// bag of constraints lazily.
function checkDefinitions(schema: z.ZodType): Record<string, unknown>[] {
  return (schema._zod.def.checks ?? []).map((check) => ({ ...check._zod.def }));
}

function lengthBound(schema: z.ZodType, check: 'min_length' | 'max_length'): number | undefined {
  const definition = checkDefinitions(schema).find((candidate) => candidate.check === check);
  const bound = definition?.[check === 'min_length' ? 'minimum' : 'maximum'];
  return typeof bound === 'number' ? bound : undefined;
}

function stringSchema(schema: z.ZodString): OpenApiSchema {
  const result: OpenApiSchema = { type: 'string' };
  const patterns = checkDefinitions(schema)
    .map((definition) => definition.pattern)
    .filter((pattern) => pattern instanceof RegExp);
  if (patterns.length > 1) throw new UnsupportedSchemaError('a string may carry at most one pattern');
  if (patterns[0]) result.pattern = patterns[0].source;
  if (schema.minLength !== null) result.minLength = schema.minLength;
  if (schema.maxLength !== null) result.maxLength = schema.maxLength;
  return result;
}

function numberSchema(schema: z.ZodNumber): OpenApiSchema {
  const result: OpenApiSchema = { type: schema.isInt ? 'integer' : 'number' };
  const { minValue, maxValue } = schema;
  if (minValue !== null && Number.isFinite(minValue) && Math.abs(minValue) < SAFE_INTEGER_BOUND) {
    result.minimum = minValue;
  }
  if (maxValue !== null && Number.isFinite(maxValue) && Math.abs(maxValue) < SAFE_INTEGER_BOUND) {
    result.maximum = maxValue;
  }
  return result;
}

function objectSchema(schema: z.ZodObject): OpenApiSchema {
  const properties: Record<string, OpenApiSchema> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    properties[key] = toOpenApiSchema(field);
    if (!(field instanceof z.ZodOptional)) required.push(key);
  }
  const result: OpenApiSchema = { type: 'object', properties };
  if (required.length > 0) result.required = required;
  // A loose object (z.looseObject) keeps fields the schema does not list, so the API server must too.
  if (schema._zod.def.catchall instanceof z.ZodUnknown) result['x-kubernetes-preserve-unknown-fields'] = true;
  return result;
}

// The outermost description wins: a field's own text is more specific than that of the type it reuses.
function withDescription(schema: z.ZodType, result: OpenApiSchema): OpenApiSchema {
  if (!schema.description) return result;
  const { description: _inner, ...rest } = result;
  return { description: schema.description, ...rest };
}

/**
 * Converts a zod schema into a Kubernetes structural schema: every node has a type (or int-or-string), maps become
 * additionalProperties, and no keyword the API server rejects is emitted. Only the zod types Linnet's resource
 * model uses are supported; anything else throws, so a new construct cannot silently produce a wrong CRD.
 */
export function toOpenApiSchema(schema: z.ZodType): OpenApiSchema {
  if (schema instanceof z.ZodOptional) {
    return withDescription(schema, toOpenApiSchema(schema.unwrap() as z.ZodType));
  }
  return withDescription(schema, convertValueSchema(schema));
}

function convertValueSchema(schema: z.ZodType): OpenApiSchema {
  if (schema instanceof z.ZodString) return stringSchema(schema);
  if (schema instanceof z.ZodNumber) return numberSchema(schema);
  if (schema instanceof z.ZodBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodEnum) return { type: 'string', enum: schema.options.map(String) };
  if (schema instanceof z.ZodObject) return objectSchema(schema);
  if (schema instanceof z.ZodArray) {
    const result: OpenApiSchema = { type: 'array', items: toOpenApiSchema(schema.element as z.ZodType) };
    const minItems = lengthBound(schema, 'min_length');
    const maxItems = lengthBound(schema, 'max_length');
    if (minItems !== undefined) result.minItems = minItems;
    if (maxItems !== undefined) result.maxItems = maxItems;
    return result;
  }
  if (schema instanceof z.ZodRecord) {
    const values = schema.valueType as z.ZodType;
    if (values instanceof z.ZodUnknown) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return { type: 'object', additionalProperties: toOpenApiSchema(values) };
  }
  if (schema instanceof z.ZodUnion && isIntOrString(schema)) return { 'x-kubernetes-int-or-string': true };
  throw new UnsupportedSchemaError(`cannot express zod type "${schema._zod.def.type}" in a structural schema`);
}
