import { z } from 'zod';
import { conditionSchema } from './condition.ts';
import { objectMetaSchema } from './object-meta.ts';

export const METRIC_PROVIDER_TYPES = [
  'prometheus',
  'influxdb',
  'datadog',
  'externalmetrics',
  'stackdriver',
  'cloudwatch',
  'newrelic',
  'graphite',
  'dynatrace',
  'keptn',
  'splunk',
] as const;

export const metricProviderSchema = z.object({
  type: z.enum(METRIC_PROVIDER_TYPES).describe('Metrics backend'),
  address: z.string().optional().describe('API address of the backend, e.g. http://prometheus:9090'),
  headers: z.record(z.string(), z.array(z.string())).optional().describe('HTTP headers added to every query request'),
  secretRef: z
    .object({ name: z.string().describe('Name of the Secret') })
    .optional()
    .describe("Secret with the backend's credentials, in the template's namespace"),
  region: z.string().optional().describe('Region of the backend (CloudWatch)'),
  insecureSkipVerify: z.boolean().optional().describe('Skip TLS certificate verification'),
});

export const metricTemplateSpecSchema = z.object({
  provider: metricProviderSchema.describe('Where the query runs'),
  query: z.string().min(1).describe('Query as a Go text/template; see the template functions in the docs'),
});

export const metricTemplateStatusSchema = z.object({
  conditions: z.array(conditionSchema).optional().describe('Never written by Flagger or Linnet'),
});

export const metricTemplateSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: objectMetaSchema,
  spec: metricTemplateSpecSchema.describe('The query and the backend it runs against'),
  status: metricTemplateStatusSchema.optional(),
});

export type MetricProviderType = (typeof METRIC_PROVIDER_TYPES)[number];
export type MetricProvider = z.infer<typeof metricProviderSchema>;
export type MetricTemplateSpec = z.infer<typeof metricTemplateSpecSchema>;
export type MetricTemplate = z.infer<typeof metricTemplateSchema>;
