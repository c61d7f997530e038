import { z } from 'zod';

// The Istio networking types Flagger embeds in `spec.service` and `spec.analysis.match`, with exactly the fields
// Flagger's CRD keeps (anything else is pruned by the API server, as with Flagger).

const stringMap = () => z.record(z.string(), z.string());

export const stringMatchSchema = z
  .object({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    regex: z.string().optional().describe('RE2 style regex-based match'),
  })
  .describe('Exactly one of exact, prefix or regex');

export const httpMatchRequestSchema = z.object({
  name: z.string().optional().describe('The name assigned to a match'),
  uri: stringMatchSchema.optional(),
  scheme: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  authority: stringMatchSchema.optional(),
  headers: z.record(z.string(), stringMatchSchema).optional(),
  port: z.number().int().optional().describe('Port on the host being addressed'),
  sourceLabels: stringMap().optional(),
  gateways: z.array(z.string()).optional().describe('Names of gateways where the rule applies'),
  queryParams: z.record(z.string(), stringMatchSchema).optional().describe('Query parameters for matching'),
  ignoreUriCase: z.boolean().optional().describe('Match the URI case-insensitively'),
  withoutHeaders: z
    .record(z.string(), stringMatchSchema)
    .optional()
    .describe('Same syntax as headers, opposite meaning'),
  sourceNamespace: z.string().optional().describe('Apply only to workloads in this namespace'),
});

export const httpRetrySchema = z.object({
  attempts: z.number().int().optional().describe('Number of retries for a given request'),
  perTryTimeout: z.string().optional().describe('Timeout per retry attempt, e.g. 2s'),
  retryOn: z.string().optional().describe('Conditions under which a retry takes place'),
});

export const httpRewriteSchema = z.object({
  uri: z.string().optional(),
  authority: z.string().optional(),
  type: z.string().optional().describe('ReplacePrefixMatch or full replacement (Gateway API only)'),
});

export const headerOperationsSchema = z.object({
  add: stringMap().optional(),
  set: stringMap().optional(),
  remove: z.array(z.string()).optional(),
});

export const headersSchema = z.object({
  request: headerOperationsSchema.optional(),
  response: headerOperationsSchema.optional(),
});

export const corsPolicySchema = z.object({
  allowOrigin: z.array(z.string()).optional().describe('Deprecated: exact origins allowed to make CORS requests'),
  allowOrigins: z.array(stringMatchSchema).optional().describe('String patterns that match allowed origins'),
  allowMethods: z.array(z.string()).optional().describe('HTTP methods allowed to access the resource'),
  allowHeaders: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAge: z.string().optional(),
  allowCredentials: z.boolean().optional(),
});

export const connectionPoolSchema = z.object({
  http: z
    .object({
      h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
      http1MaxPendingRequests: z.number().int().optional(),
      http2MaxRequests: z.number().int().optional(),
      idleTimeout: z.string().optional(),
      maxRequestsPerConnection: z.number().int().optional(),
      maxRetries: z.number().int().optional(),
    })
    .optional()
    .describe('HTTP connection pool settings'),
});

export const consistentHashSchema = z.object({
  httpHeaderName: z.string().optional().describe('Hash based on a specific HTTP header'),
  httpCookie: z
    .object({
      name: z.string().optional(),
      path: z.string().optional(),
      ttl: z.string().optional(),
    })
    .optional()
    .describe('Hash based on an HTTP cookie'),
  useSourceIp: z.boolean().optional().describe('Hash based on the source IP address'),
  httpQueryParameterName: z.string().optional().describe('Hash based on a specific HTTP query parameter'),
  minimumRingSize: z.number().int().optional(),
});

export const localityLbSettingSchema = z.object({
  distribute: z
    .array(
      z.object({
        from: z.string().optional(),
        to: z.record(z.string(), z.number().int()).optional(),
      }),
    )
    .optional(),
  enabled: z.boolean().optional(),
  failover: z.array(z.object({ from: z.string().optional(), to: z.string().optional() })).optional(),
});

export const loadBalancerSchema = z.object({
  simple: z.enum(['ROUND_ROBIN', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'LEAST_REQUEST']).optional(),
  consistentHash: consistentHashSchema.optional(),
  localityLbSetting: localityLbSettingSchema.optional(),
  warmupDurationSecs: z.string().optional(),
});

export const outlierDetectionSchema = z.object({
  consecutiveErrors: z.number().int().optional(),
  consecutive5xxErrors: z.number().int().optional(),
  consecutiveGatewayErrors: z.number().int().optional(),
  consecutiveLocalOriginFailures: z.number().int().optional(),
  splitExternalLocalOriginErrors: z.boolean().optional(),
  interval: z.string().optional().describe('Time between ejection sweep analyses'),
  baseEjectionTime: z.string().optional().describe('Minimum ejection duration'),
  maxEjectionPercent: z.number().int().optional(),
  minHealthPercent: z.number().int().optional(),
});

export const clientTlsSettingsSchema = z.object({
  mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).optional(),
  clientCertificate: z.string().optional().describe('Required if mode is MUTUAL'),
  privateKey: z.string().optional().describe('Required if mode is MUTUAL'),
  caCertificates: z.string().optional(),
  sni: z.string().optional(),
  subjectAltNames: z.array(z.string()).optional(),
});

export const trafficPolicySchema = z.object({
  connectionPool: connectionPoolSchema.optional(),
  loadBalancer: loadBalancerSchema.optional(),
  outlierDetection: outlierDetectionSchema.optional(),
  tls: clientTlsSettingsSchema.optional(),
});

export type StringMatch = z.infer<typeof stringMatchSchema>;
export type HttpMatchRequest = z.infer<typeof httpMatchRequestSchema>;
export type HttpRetry = z.infer<typeof httpRetrySchema>;
export type HttpRewrite = z.infer<typeof httpRewriteSchema>;
export type Headers = z.infer<typeof headersSchema>;
export type CorsPolicy = z.infer<typeof corsPolicySchema>;
export type TrafficPolicy = z.infer<typeof trafficPolicySchema>;
