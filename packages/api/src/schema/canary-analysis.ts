import { z } from 'zod';
import { CANARY_DEFAULTS } from '../flagger-defaults.ts';
import { stringMatchSchema } from './istio-routing.ts';

// Flagger's CRD pattern for intervals and timeouts. It is anchored only at the start, so Go durations such as
// 1m30s pass; parseDuration does the full check.
export const FLAGGER_DURATION_PATTERN = /^[0-9]+(m|s)/;
const flaggerDuration = () => z.string().regex(FLAGGER_DURATION_PATTERN);
const stringMap = () => z.record(z.string(), z.string());
const int = () => z.number().int();
const percentage = () => int().min(0).max(100);

export const thresholdRangeSchema = z.object({
  min: z.number().optional().describe('Lowest accepted value (inclusive)'),
  max: z.number().optional().describe('Highest accepted value (inclusive)'),
});

export const metricTemplateRefSchema = z.object({
  name: z.string().min(1).describe('Name of the MetricTemplate'),
  namespace: z.string().optional().describe("Namespace of the MetricTemplate. Defaults to the Canary's namespace"),
});

export const BUILTIN_METRIC_NAMES = ['request-success-rate', 'request-duration'] as const;

export const canaryMetricSchema = z.object({
  name: z
    .string()
    .min(1)
    .describe('Metric name, unique within the Canary; request-success-rate and request-duration are built in'),
  interval: flaggerDuration()
    .optional()
    .describe(`Range of the query, e.g. 5m. Defaults to ${CANARY_DEFAULTS.metricInterval}`),
  threshold: z.number().optional().describe('Deprecated: use thresholdRange'),
  thresholdRange: thresholdRangeSchema.optional().describe('Accepted range of the metric value'),
  query: z.string().optional().describe('Deprecated: inline PromQL query; use templateRef'),
  templateRef: metricTemplateRefSchema.optional().describe('MetricTemplate that holds the query'),
  templateVariables: stringMap().optional().describe('Variables available to the template as {{ variables.key }}'),
});

export const WEBHOOK_TYPES = [
  '',
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-promotion',
  'post-rollout',
  'event',
  'rollback',
  'confirm-traffic-increase',
] as const;
export const webhookTypeSchema = z.enum(WEBHOOK_TYPES);

export const canaryWebhookSchema = z.object({
  name: z.string().min(1).describe('Webhook name, unique within the Canary'),
  type: webhookTypeSchema.optional().describe(`When the webhook is called. Defaults to ${CANARY_DEFAULTS.webhookType}`),
  url: z.string().min(1).describe('Absolute http(s) URL the payload is POSTed to'),
  timeout: flaggerDuration()
    .optional()
    .describe(`Timeout of one call, e.g. 30s. Defaults to ${CANARY_DEFAULTS.webhookTimeout}`),
  retries: int()
    .min(0)
    .optional()
    .describe(`Retries on connection errors, 429 and 5xx. Defaults to ${CANARY_DEFAULTS.webhookRetries}`),
  disableTLS: z.boolean().optional().describe('Skip TLS certificate verification'),
  muteAlert: z.boolean().optional().describe('Send no alert when this webhook blocks the rollout'),
  metadata: stringMap().optional().describe('Key-value pairs sent in the payload'),
});

export const ALERT_SEVERITIES = ['', 'info', 'warn', 'error'] as const;
export const alertSeveritySchema = z.enum(ALERT_SEVERITIES);

export const canaryAlertSchema = z.object({
  name: z.string().min(1).describe('Alert name'),
  severity: alertSeveritySchema
    .optional()
    .describe(`Lowest severity sent: info, warn or error. Defaults to ${CANARY_DEFAULTS.alertSeverity}`),
  providerRef: z
    .object({
      name: z.string().min(1).describe('Name of the AlertProvider'),
      namespace: z.string().optional().describe("Namespace of the AlertProvider. Defaults to the Canary's namespace"),
    })
    .describe('AlertProvider that delivers the alert'),
});

export const sessionAffinitySchema = z.object({
  cookieName: z.string().min(1).describe('Cookie that pins a user to the canary'),
  primaryCookieName: z.string().optional().describe('Cookie that pins a user to the primary; must differ'),
  domain: z.string().optional().describe('Domain attribute of the cookies'),
  httpOnly: z.boolean().optional().describe('HttpOnly attribute of the cookies'),
  maxAge: int()
    .optional()
    .describe(`Max-Age of the cookies in seconds. Defaults to ${CANARY_DEFAULTS.sessionAffinityMaxAge}`),
  partitioned: z.boolean().optional().describe('Partitioned attribute of the cookies'),
  path: z.string().optional().describe('Path attribute of the cookies'),
  sameSite: z.enum(['Strict', 'Lax', 'None']).optional().describe('SameSite attribute of the cookies'),
  secure: z.boolean().optional().describe('Secure attribute of the cookies'),
});

// Flagger's CRD narrows the A/B match to these three fields; headers additionally allow `suffix`.
export const canaryMatchSchema = z.object({
  headers: z
    .record(z.string(), stringMatchSchema.extend({ suffix: z.string().optional() }))
    .optional()
    .describe('Header conditions (exactly one of exact, prefix, suffix or regex each)'),
  queryParams: z.record(z.string(), stringMatchSchema).optional().describe('Query parameter conditions'),
  sourceLabels: stringMap().optional().describe("Source workload labels; applies only with the 'mesh' gateway"),
});

export const canaryAnalysisSchema = z.object({
  interval: flaggerDuration()
    .optional()
    .describe(
      `Time between checks, e.g. 1m; below 10s is raised to 10s. Defaults to ${CANARY_DEFAULTS.analysisInterval}`,
    ),
  threshold: int()
    .min(0)
    .optional()
    .describe(`Failed checks that trigger a rollback. Defaults to ${CANARY_DEFAULTS.threshold}`),
  iterations: int()
    .min(0)
    .optional()
    .describe(`Number of checks for blue/green and A/B testing. Defaults to ${CANARY_DEFAULTS.iterations}`),
  maxWeight: int()
    .optional()
    .describe(`Canary weight (1-100) at which to promote. Defaults to ${CANARY_DEFAULTS.maxWeight}`),
  stepWeight: int().optional().describe('Canary weight increment (1-100) per successful check'),
  stepWeights: z
    .array(int())
    .optional()
    .describe('Increasing canary weights, e.g. [1, 10, 50]; a last step above 100 counts as 100'),
  stepWeightPromotion: int()
    .min(0)
    .optional()
    .describe(
      `Primary weight increment while promoting; 0 shifts all at once. Defaults to ${CANARY_DEFAULTS.stepWeightPromotion}`,
    ),
  mirror: z.boolean().optional().describe('Mirror traffic to the canary (Istio)'),
  mirrorWeight: percentage()
    .optional()
    .describe(`Percentage of traffic mirrored. Defaults to ${CANARY_DEFAULTS.mirrorWeight}`),
  primaryReadyThreshold: percentage()
    .optional()
    .describe(`Percentage of primary pods that must be available. Defaults to ${CANARY_DEFAULTS.readyThreshold}`),
  canaryReadyThreshold: percentage()
    .optional()
    .describe(`Percentage of canary pods that must be available. Defaults to ${CANARY_DEFAULTS.readyThreshold}`),
  match: z.array(canaryMatchSchema).optional().describe('A/B testing conditions'),
  sessionAffinity: sessionAffinitySchema.optional().describe('Pin users to the version they first reached'),
  metrics: z.array(canaryMetricSchema).optional().describe('Metric checks run at every interval'),
  webhooks: z.array(canaryWebhookSchema).optional().describe('Webhooks: gates, hooks, load tests, events'),
  alerts: z.array(canaryAlertSchema).optional().describe('Alerts sent through AlertProviders'),
});

export type ThresholdRange = z.infer<typeof thresholdRangeSchema>;
export type MetricTemplateRef = z.infer<typeof metricTemplateRefSchema>;
export type CanaryMetric = z.infer<typeof canaryMetricSchema>;
export type WebhookType = z.infer<typeof webhookTypeSchema>;
export type CanaryWebhook = z.infer<typeof canaryWebhookSchema>;
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;
export type CanaryAlert = z.infer<typeof canaryAlertSchema>;
export type SessionAffinity = z.infer<typeof sessionAffinitySchema>;
export type CanaryMatch = z.infer<typeof canaryMatchSchema>;
export type CanaryAnalysis = z.infer<typeof canaryAnalysisSchema>;
