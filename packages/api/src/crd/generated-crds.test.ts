import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generatedFiles, REPOSITORY_ROOT } from '../../scripts/generated-files.ts';
import { customResourceDefinitions, type CustomResourceDefinition } from './custom-resource-definitions.ts';
import type { OpenApiSchema } from './openapi-schema.ts';

const repositoryPath = (path: string) => fileURLToPath(new URL(path, REPOSITORY_ROOT));

describe('generated files', () => {
  // Generating formats the docs with prettier, which is slow; once is enough.
  let files = new Map<string, string>();
  beforeAll(async () => {
    files = await generatedFiles();
  });

  it('match the committed files (run `npm run generate:crds` after changing a schema)', async () => {
    for (const [path, expected] of files) {
      const committed = await readFile(repositoryPath(path), 'utf8').catch(() => '<missing>');
      expect({ path, content: committed }).toEqual({ path, content: expected });
    }
  });

  it('are the only files in deploy/crds', async () => {
    const generated = [...files.keys()].filter((path) => path.startsWith('deploy/crds/'));
    const committed = (await readdir(repositoryPath('deploy/crds/'))).map((name) => `deploy/crds/${name}`);
    expect(committed.sort()).toEqual(generated.sort());
  });

  it('the YAML files parse back into the generated CRDs', () => {
    for (const crd of customResourceDefinitions()) {
      expect(parse(files.get(`deploy/crds/${crd.metadata.name}.yaml`) ?? '')).toEqual(crd);
    }
  });
});

// Kubernetes' structural-schema rules (apiextensions.k8s.io/v1), as far as the generator can break them.
const ALLOWED_KEYWORDS = new Set([
  'description',
  'type',
  'format',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function structuralViolations(schema: OpenApiSchema, path: string): string[] {
  const violations: string[] = [];
  const node = schema as Record<string, unknown>;
  for (const keyword of Object.keys(node)) {
    if (!ALLOWED_KEYWORDS.has(keyword)) violations.push(`${path}: keyword ${keyword} is not allowed`);
  }
  const special =
    schema['x-kubernetes-int-or-string'] === true || schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema['x-kubernetes-int-or-string'] && schema.type !== undefined) {
    violations.push(`${path}: an int-or-string node must not have a type`);
  }
  if (schema.type === undefined && !special) violations.push(`${path}: has no type`);
  if (schema.type !== undefined && !TYPES.has(schema.type)) violations.push(`${path}: unknown type ${schema.type}`);
  if (schema.properties && schema.additionalProperties) {
    violations.push(`${path}: properties and additionalProperties are mutually exclusive`);
  }
  if ((schema.properties || schema.additionalProperties || schema.required) && schema.type !== 'object') {
    violations.push(`${path}: has object keywords but type ${schema.type}`);
  }
  if (schema.type === 'array' && !schema.items) violations.push(`${path}: an array needs items`);
  if (schema.items && (Array.isArray(schema.items) || schema.type !== 'array')) {
    violations.push(`${path}: items must be one schema on an array`);
  }
  for (const key of schema.required ?? []) {
    if (!schema.properties?.[key]) violations.push(`${path}: required field ${key} is not a property`);
  }
  for (const value of schema.enum ?? []) {
    if (typeof value !== 'string' || schema.type !== 'string')
      violations.push(`${path}: enum ${value} is not a string`);
  }
  if (schema.pattern !== undefined) {
    try {
      new RegExp(schema.pattern);
    } catch {
      violations.push(`${path}: pattern ${schema.pattern} does not compile`);
    }
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    violations.push(...structuralViolations(child, `${path}.${key}`));
  }
  if (schema.items) violations.push(...structuralViolations(schema.items, `${path}[]`));
  if (schema.additionalProperties) violations.push(...structuralViolations(schema.additionalProperties, `${path}.*`));
  return violations;
}

function schemaAtJsonPath(root: OpenApiSchema, jsonPath: string): OpenApiSchema | undefined {
  let current: OpenApiSchema | undefined = root;
  for (const key of jsonPath.replace(/^\./, '').split('.')) current = current?.properties?.[key];
  return current;
}

describe.each(customResourceDefinitions().map((crd): [string, CustomResourceDefinition] => [crd.metadata.name, crd]))(
  'CRD %s',
  (name, crd) => {
    const [version, ...otherVersions] = crd.spec.versions;
    const root = version?.schema.openAPIV3Schema ?? {};

    it('serves one stored version, v1beta1 of flagger.app, with a status subresource', () => {
      expect(otherVersions).toEqual([]);
      expect(version).toMatchObject({ name: 'v1beta1', served: true, storage: true, subresources: { status: {} } });
      expect(crd.spec.group).toBe('flagger.app');
      expect(name).toBe(`${crd.spec.names.plural}.flagger.app`);
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names.categories).toEqual(['all']);
    });

    it('has a structural schema', () => {
      expect(structuralViolations(root, '')).toEqual([]);
    });

    it('leaves metadata to the API server and does not preserve unknown fields at the root', () => {
      expect(root.properties?.metadata).toEqual({ type: 'object' });
      expect(root['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
      expect(root.properties?.spec?.['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
    });

    it('has printer columns whose JSONPaths exist in the schema', () => {
      for (const column of version?.additionalPrinterColumns ?? []) {
        expect({ column: column.name, schema: schemaAtJsonPath(root, column.jsonPath) }).toEqual({
          column: column.name,
          schema: expect.objectContaining({ type: expect.any(String) }),
        });
        expect(['string', 'integer', 'number', 'boolean', 'date']).toContain(column.type);
      }
    });
  },
);

describe('Canary CRD', () => {
  const canary = customResourceDefinitions().find((crd) => crd.spec.names.kind === 'Canary');
  const root = canary?.spec.versions[0]?.schema.openAPIV3Schema ?? {};

  it("has Flagger's printer columns, the wide ones at priority 1", () => {
    expect(
      canary?.spec.versions[0]?.additionalPrinterColumns.map((column) => [column.name, column.priority ?? 0]),
    ).toEqual([
      ['Status', 0],
      ['Weight', 0],
      ['Suspended', 1],
      ['FailedChecks', 1],
      ['Interval', 1],
      ['Mirror', 1],
      ['StepWeight', 1],
      ['StepWeights', 1],
      ['MaxWeight', 1],
      ['LastTransitionTime', 0],
    ]);
  });

  it("accepts an int-or-string targetPort and keeps Flagger's interval pattern", () => {
    expect(schemaAtJsonPath(root, '.spec.service.targetPort')).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(schemaAtJsonPath(root, '.spec.analysis.interval')).toMatchObject({
      type: 'string',
      pattern: '^[0-9]+(m|s)',
    });
  });

  it("includes Linnet's additive status fields", () => {
    expect(Object.keys(schemaAtJsonPath(root, '.status')?.properties ?? {})).toEqual(
      expect.arrayContaining(['phase', 'canaryWeight', 'conditions', 'nextCheckTime', 'lastDecision']),
    );
  });
});
