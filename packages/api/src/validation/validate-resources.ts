import type { z } from 'zod';
import { GROUP_VERSION } from '../api-group.ts';
import { toOpenApiSchema, type OpenApiSchema } from '../crd/openapi-schema.ts';
import { alertProviderSchema } from '../schema/alert-provider.ts';
import { canarySchema } from '../schema/canary.ts';
import { metricTemplateSchema } from '../schema/metric-template.ts';
import { checkCanarySpec } from './canary-rules.ts';
import { asObject, describeValue, type RawObject } from './raw-value.ts';
import { reportSchemaIssues } from './schema-problems.ts';
import { reportUnknownFields } from './unknown-fields.ts';
import { checkHttpUrl, checkTypeMeta } from './value-rules.ts';
import { ProblemList, type ReportProblem, type ValidationProblem } from './validation-problem.ts';

interface ResourceValidator {
  kind: string;
  schema: z.ZodType;
  checkSpec: (spec: RawObject, report: ReportProblem) => void;
}

const openApiByKind = new Map<string, OpenApiSchema>();

function openApiSchemaOf(validator: ResourceValidator): OpenApiSchema {
  let schema = openApiByKind.get(validator.kind);
  if (!schema) {
    schema = toOpenApiSchema(validator.schema);
    openApiByKind.set(validator.kind, schema);
  }
  return schema;
}

// Schema problems come first; a cross-field rule is dropped where the schema already found a problem at the
// same path, so each mistake is reported once.
function validateResource(validator: ResourceValidator, input: unknown): ValidationProblem[] {
  const resource = asObject(input);
  if (!resource) return [{ path: '', message: `must be a ${validator.kind} object (got ${describeValue(input)})` }];
  const openApi = openApiSchemaOf(validator);
  const schemaProblems = new ProblemList();
  const parsed = validator.schema.safeParse(input);
  if (!parsed.success) reportSchemaIssues(parsed.error.issues, openApi, input, schemaProblems.report);
  reportUnknownFields(input, openApi, [], schemaProblems.report);

  const ruleProblems = new ProblemList();
  checkTypeMeta(resource, { apiVersion: GROUP_VERSION, kind: validator.kind }, ruleProblems.report);
  const spec = asObject(resource.spec);
  if (spec) validator.checkSpec(spec, ruleProblems.report);

  const reportedPaths = new Set(schemaProblems.problems.map((problem) => problem.path));
  return [...schemaProblems.problems, ...ruleProblems.problems.filter((problem) => !reportedPaths.has(problem.path))];
}

const canaryValidator: ResourceValidator = { kind: 'Canary', schema: canarySchema, checkSpec: checkCanarySpec };

const metricTemplateValidator: ResourceValidator = {
  kind: 'MetricTemplate',
  schema: metricTemplateSchema,
  checkSpec: (spec, report) => checkHttpUrl(asObject(spec.provider)?.address, ['spec', 'provider', 'address'], report),
};

const alertProviderValidator: ResourceValidator = {
  kind: 'AlertProvider',
  schema: alertProviderSchema,
  checkSpec: (spec, report) => {
    if (spec.address === undefined && spec.secretRef === undefined) {
      report(['spec'], 'needs address or secretRef (a Secret with the hook URL under key address)');
    }
    checkHttpUrl(spec.address, ['spec', 'address'], report);
    checkHttpUrl(spec.proxy, ['spec', 'proxy'], report);
  },
};

/** Every problem of a Canary manifest or object at once: schema errors and cross-field rules. */
export function validateCanary(input: unknown): ValidationProblem[] {
  return validateResource(canaryValidator, input);
}

export function validateMetricTemplate(input: unknown): ValidationProblem[] {
  return validateResource(metricTemplateValidator, input);
}

export function validateAlertProvider(input: unknown): ValidationProblem[] {
  return validateResource(alertProviderValidator, input);
}
