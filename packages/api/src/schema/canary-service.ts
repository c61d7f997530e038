import { z } from 'zod';
import { CANARY_DEFAULTS } from '../flagger-defaults.ts';
import { parentReferenceSchema, httpRequestMirrorFilterSchema } from './gateway-api.ts';
import {
  corsPolicySchema,
  headersSchema,
  httpMatchRequestSchema,
  httpRetrySchema,
  httpRewriteSchema,
  trafficPolicySchema,
} from './istio-routing.ts';

const stringMap = () => z.record(z.string(), z.string());

export const customMetadataSchema = z.object({
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
});

// An int or a named container port, like Kubernetes' IntOrString.
export const intOrStringSchema = z.union([z.number().int(), z.string()]);

export const canaryServiceSchema = z.object({
  name: z.string().optional().describe('Apex Service and VirtualService name. Defaults to targetRef.name'),
  port: z.number().int().min(1).max(65535).describe('ClusterIP port of the generated Services'),
  portName: z
    .string()
    .optional()
    .describe(`Name of the first Service port (grpc for gRPC). Defaults to ${CANARY_DEFAULTS.portName}`),
  targetPort: intOrStringSchema.optional().describe('Container port number or name. Defaults to port'),
  appProtocol: z.string().optional().describe('Application protocol of the port; tcp switches Istio to TCP routes'),
  trafficDistribution: z
    .enum(['PreferClose', 'PreferSameZone', 'PreferSameNode'])
    .optional()
    .describe('Copied to the generated Services'),
  portDiscovery: z.boolean().optional().describe('Add all other container ports to the generated Services'),
  headless: z.boolean().optional().describe('Generate headless Services (clusterIP: None)'),
  timeout: z.string().optional().describe('HTTP or gRPC request timeout, e.g. 30s'),
  backendTimeout: z.string().optional().describe('Backend request timeout (Gateway API only)'),
  meshName: z.string().optional().describe('App Mesh mesh name'),
  backends: z.array(z.string()).optional().describe('App Mesh backends'),
  hosts: z.array(z.string()).optional().describe('VirtualService hosts; the apex name is added unless listed or *'),
  gateways: z
    .array(z.string())
    .optional()
    .describe(
      `Istio gateways of the VirtualService. Defaults to [${CANARY_DEFAULTS.gateways.join(', ')}] unless delegation is set`,
    ),
  gatewayRefs: z.array(parentReferenceSchema).max(32).optional().describe('Gateway API parent Gateways'),
  delegation: z
    .boolean()
    .optional()
    .describe('Generate a delegate VirtualService (no hosts or gateways); excludes hosts and gateways'),
  trafficPolicy: trafficPolicySchema.optional().describe('Istio traffic policy copied into both DestinationRules'),
  match: z.array(httpMatchRequestSchema).optional().describe('Istio match conditions of the HTTP route'),
  rewrite: httpRewriteSchema.optional().describe('Rewrite HTTP URIs'),
  retries: httpRetrySchema.optional().describe('Retry policy for HTTP requests'),
  headers: headersSchema.optional().describe('Header operations on the HTTP route'),
  mirror: z.array(httpRequestMirrorFilterSchema).optional().describe('Gateway API request mirroring filters'),
  corsPolicy: corsPolicySchema.optional().describe('Istio Cross-Origin Resource Sharing policy'),
  apex: customMetadataSchema.optional().describe('Labels and annotations of the apex Service and VirtualService'),
  primary: customMetadataSchema.optional().describe('Labels and annotations of the primary Service'),
  canary: customMetadataSchema.optional().describe('Labels and annotations of the canary Service'),
  unmanagedMetadata: z
    .object({
      labels: z.array(z.string()).optional(),
      annotations: z.array(z.string()).optional(),
    })
    .optional()
    .describe('Metadata keys Linnet must not add, remove or change on the generated Services'),
});

export type CustomMetadata = z.infer<typeof customMetadataSchema>;
export type CanaryService = z.infer<typeof canaryServiceSchema>;
