// Flagger's defaults (reference §1.1–1.3), in one place: the schema descriptions, the generated docs and
// withCanaryDefaults all read them from here.
export const CANARY_DEFAULTS = {
  progressDeadlineSeconds: 600,
  analysisInterval: '60s',
  threshold: 1,
  maxWeight: 100,
  iterations: 0,
  stepWeightPromotion: 0,
  mirrorWeight: 100,
  readyThreshold: 100,
  portName: 'http',
  gateways: ['mesh'],
  metricInterval: '1m',
  webhookTimeout: '10s',
  webhookType: 'rollout',
  webhookRetries: 0,
  alertSeverity: 'info',
  sessionAffinityMaxAge: 86_400,
  minimumAnalysisIntervalMs: 10_000,
} as const;

export const ALERT_PROVIDER_DEFAULTS = { channel: 'general', username: 'flagger' } as const;
