import { z } from 'zod';
import { canaryMatchSchema, sessionAffinitySchema, thresholdRangeSchema } from '../schema/canary-analysis.ts';
import { customMetadataSchema } from '../schema/canary-service.ts';
import { corsPolicySchema, headersSchema, httpRetrySchema } from '../schema/istio-routing.ts';

// Kurator's apps.kurator.dev/v1alpha1 rollout types (Application.spec.syncPolicies[].rollout), as far as they map
// onto a Canary. Kurator's Go types are the reference; defaults that Kurator applies are noted where they matter.

const seconds = () => z.number().int().min(0);

export const kuratorCanaryStrategySchema = z.object({
  maxWeight: z.number().int().optional(),
  stepWeight: z.number().int().optional(),
  stepWeights: z.array(z.number().int()).optional(),
  stepWeightPromotion: z.number().int().optional(),
});

export const kuratorTrafficRoutingSchema = z.object({
  timeoutSeconds: seconds().optional(),
  gateways: z.array(z.string()).optional(),
  hosts: z.array(z.string()).optional(),
  retries: httpRetrySchema.optional(),
  headers: headersSchema.optional(),
  corsPolicy: corsPolicySchema.optional(),
  canaryStrategy: kuratorCanaryStrategySchema.optional(),
  analysisTimes: z.number().int().min(0).optional(),
  // Kurator takes Istio HTTPMatchRequests; the Canary's analysis.match keeps headers, queryParams and sourceLabels.
  match: z.array(canaryMatchSchema).optional(),
});

export const kuratorMetricSchema = z.object({
  name: z.string().min(1),
  intervalSeconds: seconds().optional(),
  thresholdRange: thresholdRangeSchema.optional(),
});

export const kuratorWebhookSchema = z.object({
  timeoutSeconds: seconds().optional(),
  command: z.array(z.string().min(1)).optional(),
});

export const kuratorTrafficAnalysisSchema = z.object({
  checkIntervalSeconds: seconds().optional(),
  checkFailedTimes: z.number().int().min(0).optional(),
  metrics: z.array(kuratorMetricSchema).optional(),
  webhooks: kuratorWebhookSchema.optional(),
  sessionAffinity: sessionAffinitySchema.optional(),
});

export const kuratorRolloutPolicySchema = z.object({
  trafficRouting: kuratorTrafficRoutingSchema.optional(),
  trafficAnalysis: kuratorTrafficAnalysisSchema.optional(),
  rolloutTimeoutSeconds: seconds().optional(),
  skipTrafficAnalysis: z.boolean().optional(),
  revertOnDeletion: z.boolean().optional(),
  suspend: z.boolean().optional(),
});

export const kuratorWorkloadReferenceSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.enum(['Deployment', 'DaemonSet']).optional(),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

export const kuratorRolloutConfigSchema = z.object({
  testLoader: z.boolean().optional(),
  trafficRoutingProvider: z.string().optional(),
  workload: kuratorWorkloadReferenceSchema.optional(),
  serviceName: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  primary: customMetadataSchema.optional(),
  preview: customMetadataSchema.optional(),
  rolloutPolicy: kuratorRolloutPolicySchema.optional(),
});

export type KuratorRolloutPolicy = z.infer<typeof kuratorRolloutPolicySchema>;
export type KuratorRolloutConfig = z.infer<typeof kuratorRolloutConfigSchema>;
export type KuratorWorkloadReference = z.infer<typeof kuratorWorkloadReferenceSchema>;

/** Top-level keys of a rollout config; any other top-level key belongs to the rolloutPolicy. */
export const ROLLOUT_CONFIG_KEYS = Object.keys(kuratorRolloutConfigSchema.shape).filter(
  (key) => key !== 'rolloutPolicy',
);
/** Keys that identify a bare rolloutPolicy. */
export const ROLLOUT_POLICY_KEYS = Object.keys(kuratorRolloutPolicySchema.shape);
