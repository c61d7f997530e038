import { z } from 'zod';
import { CANARY_DEFAULTS } from '../flagger-defaults.ts';
import { linnetStatusExtrasSchema } from '../linnet-status.ts';
import { canaryAnalysisSchema } from './canary-analysis.ts';
import { canaryServiceSchema } from './canary-service.ts';
import { conditionSchema } from './condition.ts';
import { objectMetaSchema } from './object-meta.ts';

export const MESH_PROVIDERS = [
  'apisix',
  'appmesh',
  'appmesh:v1beta2',
  'contour',
  'gatewayapi:v1',
  'gatewayapi:v1beta1',
  'gloo',
  'istio',
  'knative',
  'kubernetes',
  'kuma',
  'linkerd',
  'nginx',
  'osm',
  'skipper',
  'smi:v1alpha1',
  'smi:v1alpha2',
  'smi:v1alpha3',
  'traefik',
] as const;
export const meshProviderSchema = z.enum(MESH_PROVIDERS);

export const TARGET_KINDS = ['Deployment', 'DaemonSet', 'Service'] as const;

export const targetRefSchema = z.object({
  apiVersion: z.string().describe('API version of the target, e.g. apps/v1'),
  kind: z.enum(TARGET_KINDS).describe('Deployment, DaemonSet, or Service (Knative)'),
  name: z.string().min(1).describe('Name of the target in the Canary namespace'),
});

export const autoscalerRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.enum(['HorizontalPodAutoscaler', 'ScaledObject']),
  name: z.string(),
  primaryScalerQueries: z
    .record(z.string(), z.string())
    .optional()
    .describe('KEDA trigger queries for the primary ScaledObject, by trigger name'),
  primaryScalerReplicas: z
    .object({
      minReplicas: z.number().int().min(1).optional(),
      maxReplicas: z.number().int().min(1).optional(),
    })
    .optional()
    .describe('Replica bounds of the primary scaler'),
});

export const ingressRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.enum(['Ingress']),
  name: z.string(),
});

export const routeRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.enum(['ApisixRoute']),
  name: z.string(),
});

export const upstreamRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.enum(['Upstream']),
  name: z.string(),
  namespace: z.string().optional(),
});

export const canarySpecSchema = z.object({
  provider: meshProviderSchema.optional().describe('Traffic management provider; overrides the controller flag'),
  metricsServer: z.string().optional().describe('Prometheus URL for built-in metrics and inline queries'),
  targetRef: targetRefSchema.describe('The workload to roll out'),
  autoscalerRef: autoscalerRefSchema.optional().describe('Autoscaler of the target; a primary copy is generated'),
  ingressRef: ingressRefSchema.optional().describe('Ingress (NGINX provider only)'),
  routeRef: routeRefSchema.optional().describe('ApisixRoute (APISIX provider only)'),
  upstreamRef: upstreamRefSchema.optional().describe('Gloo Upstream (Gloo provider only)'),
  service: canaryServiceSchema.optional().describe('Services and routing generated for the target'),
  analysis: canaryAnalysisSchema.optional().describe('Analysis schedule, checks, webhooks and alerts'),
  canaryAnalysis: canaryAnalysisSchema
    .optional()
    .describe('Deprecated alias of analysis; Linnet rejects a Canary that sets both'),
  progressDeadlineSeconds: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      `Seconds a rollout may take to make progress before it is rolled back. Defaults to ${CANARY_DEFAULTS.progressDeadlineSeconds}`,
    ),
  skipAnalysis: z.boolean().optional().describe('Promote without analysis'),
  revertOnDeletion: z.boolean().optional().describe('Restore the target when the Canary is deleted'),
  suspend: z.boolean().optional().describe('Pause all runs of this Canary'),
});

export const CANARY_PHASES = [
  '',
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
] as const;
export const canaryPhaseSchema = z.enum(CANARY_PHASES);

export const flaggerCanaryStatusSchema = z.object({
  phase: canaryPhaseSchema.optional().describe('Analysis phase'),
  failedChecks: z.number().int().optional().describe('Failed checks of the current run'),
  canaryWeight: z.number().int().optional().describe('Traffic weight routed to the canary (0-100)'),
  iterations: z.number().int().optional().describe('Iterations of the current run'),
  trackedConfigs: z
    .record(z.string(), z.string())
    .optional()
    .describe('Checksums of the ConfigMaps and Secrets the target uses, by configmap/<name> or secret/<name>'),
  lastAppliedSpec: z.string().optional().describe("Hash of the target's pod template at the last sync"),
  lastPromotedSpec: z.string().optional().describe('Hash of the pod template running in the primary'),
  lastTransitionTime: z.string().optional().describe('RFC3339 time of the last status change'),
  conditions: z.array(conditionSchema).optional().describe('The Promoted condition'),
  sessionAffinityCookie: z.string().optional().describe('Canary cookie of the current run (name=value)'),
  primarySessionAffinityCookie: z.string().optional().describe('Primary cookie of the current run (name=value)'),
  previousSessionAffinityCookie: z.string().optional().describe('Canary cookie of the previous run, expired on use'),
});

// Flagger's fields plus Linnet's additive ones; Flagger clients ignore the latter.
export const canaryStatusSchema = flaggerCanaryStatusSchema.extend(linnetStatusExtrasSchema.shape);

export const canarySchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: objectMetaSchema,
  spec: canarySpecSchema.describe('What to roll out and how'),
  status: canaryStatusSchema.optional().describe('Progress of the current or last rollout, written by the controller'),
});

export type MeshProvider = z.infer<typeof meshProviderSchema>;
export type TargetKind = (typeof TARGET_KINDS)[number];
export type TargetRef = z.infer<typeof targetRefSchema>;
export type AutoscalerRef = z.infer<typeof autoscalerRefSchema>;
export type CanarySpec = z.infer<typeof canarySpecSchema>;
export type CanaryPhase = z.infer<typeof canaryPhaseSchema>;
export type CanaryStatus = z.infer<typeof canaryStatusSchema>;
export type Canary = z.infer<typeof canarySchema>;
