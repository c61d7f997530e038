import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { toOpenApiSchema, UnsupportedSchemaError } from './openapi-schema.ts';

describe('toOpenApiSchema', () => {
  it('converts objects, required fields, bounds, patterns and descriptions', () => {
    const schema = z.object({
      port: z.number().int().min(1).max(65535).describe('Service port'),
      ratio: z.number().optional(),
      interval: z
        .string()
        .regex(/^[0-9]+(m|s)/)
        .optional(),
      names: z.array(z.string()).max(3).optional(),
    });
    expect(toOpenApiSchema(schema)).toEqual({
      type: 'object',
      properties: {
        port: { description: 'Service port', type: 'integer', minimum: 1, maximum: 65535 },
        ratio: { type: 'number' },
        interval: { type: 'string', pattern: '^[0-9]+(m|s)' },
        names: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      },
      required: ['port'],
    });
  });

  it('turns maps into additionalProperties and free-form maps into preserved fields', () => {
    expect(toOpenApiSchema(z.record(z.string(), z.array(z.string())))).toEqual({
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    });
    expect(toOpenApiSchema(z.record(z.string(), z.unknown()))).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('marks an int-or-string union without a type', () => {
    expect(toOpenApiSchema(z.union([z.number().int(), z.string()]))).toEqual({ 'x-kubernetes-int-or-string': true });
  });

  it('emits enums as strings', () => {
    expect(toOpenApiSchema(z.enum(['', 'info']))).toEqual({ type: 'string', enum: ['', 'info'] });
  });

  it('lets a field description override the description of the type it reuses', () => {
    const reused = z.object({}).describe('generic');
    expect(toOpenApiSchema(z.object({ field: reused.optional().describe('specific') })).properties?.field).toEqual({
      description: 'specific',
      type: 'object',
      properties: {},
    });
  });

  it('refuses constructs it cannot express structurally', () => {
    expect(() => toOpenApiSchema(z.union([z.string(), z.boolean()]))).toThrow(UnsupportedSchemaError);
    expect(() => toOpenApiSchema(z.date())).toThrow(UnsupportedSchemaError);
  });
});
