import { linnetStatusExtrasSchema } from '../linnet-status.ts';
import type { OpenApiSchema } from './openapi-schema.ts';
import type { CustomResourceDefinition } from './custom-resource-definitions.ts';

// Renders docs/crd-reference.md from the generated CRDs, so the reference cannot drift from the schema.

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

function typeLabel(schema: OpenApiSchema): string {
  if (schema['x-kubernetes-int-or-string']) return 'integer or string';
  if (schema.type === 'array') return `array of ${schema.items ? typeLabel(schema.items) : 'any'}`;
  if (schema.type === 'object' && schema.additionalProperties) {
    return `map of ${typeLabel(schema.additionalProperties)}`;
  }
  if (schema.type === 'object' && schema['x-kubernetes-preserve-unknown-fields']) return 'free-form object';
  return schema.type ?? 'any';
}

function constraints(schema: OpenApiSchema): string[] {
  const notes: string[] = [];
  if (schema.enum) notes.push(`One of: ${schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(', ')}.`);
  if (schema.pattern) notes.push(`Pattern: \`${schema.pattern}\`.`);
  if (schema.minimum !== undefined) notes.push(`Minimum: ${schema.minimum}.`);
  if (schema.maximum !== undefined) notes.push(`Maximum: ${schema.maximum}.`);
  if (schema.minLength !== undefined) notes.push(`Min length: ${schema.minLength}.`);
  if (schema.maxLength !== undefined) notes.push(`Max length: ${schema.maxLength}.`);
  if (schema.maxItems !== undefined) notes.push(`At most ${schema.maxItems} items.`);
  return notes;
}

function sentence(text: string | undefined): string {
  if (!text) return '';
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function collectRows(schema: OpenApiSchema, path: string, required: boolean, rows: FieldRow[]): void {
  rows.push({
    path,
    type: typeLabel(schema),
    required,
    description: [sentence(schema.description), ...constraints(schema)].filter(Boolean).join(' '),
  });
  collectChildren(schema, path, rows);
}

function collectChildren(schema: OpenApiSchema, path: string, rows: FieldRow[]): void {
  if (schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) {
      collectRows(child, `${path}.${key}`, schema.required?.includes(key) ?? false, rows);
    }
  }
  if (schema.items) collectChildren(schema.items, `${path}[]`, rows);
  if (schema.additionalProperties) collectChildren(schema.additionalProperties, `${path}.<key>`, rows);
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

function fieldTable(root: OpenApiSchema, section: 'spec' | 'status'): string {
  const schema = root.properties?.[section];
  if (!schema) return '';
  const rows: FieldRow[] = [];
  collectChildren(schema, section, rows);
  const lines = rows.map(
    (row) =>
      `| \`${row.path}\` | ${escapeCell(row.type)} | ${row.required ? 'yes' : ''} | ${escapeCell(row.description)} |`,
  );
  return [`### \`.${section}\``, '', '| Field | Type | Required | Description |', '|---|---|---|---|', ...lines].join(
    '\n',
  );
}

const LINNET_STATUS_NOTE = `Linnet additions (Flagger clients ignore them): ${Object.keys(
  linnetStatusExtrasSchema.shape,
)
  .map((key) => `\`status.${key}\``)
  .join(', ')}.`;

function resourceSection(crd: CustomResourceDefinition): string {
  const version = crd.spec.versions[0];
  if (!version) return '';
  const root = version.schema.openAPIV3Schema;
  const { names } = crd.spec;
  const columns = version.additionalPrinterColumns
    .map((column) => `\`${column.name}\` (\`${column.jsonPath}\`${column.priority ? ', wide' : ''})`)
    .join(', ');
  return [
    `## ${names.kind}`,
    '',
    sentence(root.description),
    '',
    `\`${crd.spec.group}/${version.name}\`, namespaced, plural \`${names.plural}\`, categories ` +
      `${names.categories.map((category) => `\`${category}\``).join(', ')}, status subresource. ` +
      `\`kubectl get ${names.plural}\` columns: ${columns}.`,
    '',
    fieldTable(root, 'spec'),
    '',
    fieldTable(root, 'status'),
    ...(names.kind === 'Canary' ? ['', LINNET_STATUS_NOTE] : []),
  ].join('\n');
}

// The checks validateCanary adds to the schema; kept next to the reference so users find them in one place.
const CANARY_RULES = [
  '`analysis` is required unless `skipAnalysis` is true; `canaryAnalysis` (deprecated) may replace it but not accompany it.',
  '`service` is required; with `delegation: true`, `hosts` and `gateways` must be empty.',
  'A canary rollout needs `stepWeight` or `stepWeights`; blue/green and A/B testing need `iterations` and no step ' +
    'weights. The `kubernetes` provider and `skipAnalysis` need neither.',
  '`stepWeight` and `maxWeight` are between 1 and 100; `stepWeight` and `stepWeights` are not combined ' +
    '(`stepWeight: 0` next to `stepWeights` is accepted, as Flagger reads it as unset).',
  '`stepWeights` is non-empty and strictly increasing, each step at least 1 and at most 100, except the last, ' +
    'which may exceed 100 and then counts as 100.',
  '`interval`, metric `interval` and webhook `timeout` are durations such as `30s`, `5m` or `1m30s`, longer than ' +
    '0s and at most `596h31m23.647s` (2^31−1 ms, about 24.8 days: the longest wait a timer can hold); ' +
    '`progressDeadlineSeconds` is between 1 and 2147483.',
  'A webhook has at most 10 `retries`; a call with its retries takes at most timeout × (retries + 1).',
  'A metric is built in (`request-success-rate`, `request-duration`) or has a `templateRef` or `query`; it has a ' +
    '`thresholdRange` (or the deprecated `threshold`), and `min` is not greater than `max`.',
  'Metric names and webhook names are unique within the Canary; webhook URLs are absolute http(s) URLs.',
  '`sessionAffinity.primaryCookieName` differs from `cookieName`.',
  'Each header and query-parameter condition sets only one of exact, prefix, (suffix,) regex; A/B header ' +
    'conditions set exactly one.',
  'Unknown fields are reported (the API server would drop them), with the closest known name.',
];

export function renderCrdReference(crds: readonly CustomResourceDefinition[]): string {
  return [
    '# CRD reference',
    '',
    '<!-- Generated by `npm run generate:crds` from packages/api/src/schema; do not edit by hand. -->',
    '',
    "Linnet serves Flagger's `flagger.app/v1beta1` API. Defaults are applied by the controller, not stored by the " +
      'API server, so `kubectl get -o yaml` shows what you wrote. `<key>` stands for any map key and `[]` for ' +
      'every element of a list.',
    '',
    ...crds.map(resourceSection),
    '',
    '## Checks beyond the schema',
    '',
    'Linnet reports every problem of a Canary at once, each with its field path. ' +
      'Besides the types, enums and ranges above, a Canary must satisfy:',
    '',
    ...CANARY_RULES.map((rule) => `- ${rule}`),
    '',
    'An AlertProvider needs `address` or `secretRef`; provider and webhook addresses are absolute http(s) URLs.',
  ].join('\n');
}
