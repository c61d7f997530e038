import { tryParseDuration } from './duration.ts';
import { ALERT_PROVIDER_DEFAULTS, CANARY_DEFAULTS } from './flagger-defaults.ts';
import type {
  CanaryAlert,
  CanaryAnalysis,
  CanaryMetric,
  CanaryWebhook,
  SessionAffinity,
} from './schema/canary-analysis.ts';
import type { CanaryService } from './schema/canary-service.ts';
import type { CanarySpec } from './schema/canary.ts';
import type { AlertProviderSpec } from './schema/alert-provider.ts';

const DEFAULT_ANALYSIS_INTERVAL_MS = 60_000;

export type DefaultedCanaryMetric = CanaryMetric & { interval: string };
export type DefaultedCanaryWebhook = Omit<CanaryWebhook, 'type'> & {
  type: Exclude<CanaryWebhook['type'], '' | undefined>;
  timeout: string;
  retries: number;
};
export type DefaultedCanaryAlert = Omit<CanaryAlert, 'severity'> & {
  severity: Exclude<CanaryAlert['severity'], '' | undefined>;
};
export type DefaultedSessionAffinity = SessionAffinity & { maxAge: number };
export type DefaultedCanaryAnalysis = Omit<CanaryAnalysis, 'metrics' | 'webhooks' | 'alerts' | 'sessionAffinity'> & {
  interval: string;
  threshold: number;
  maxWeight: number;
  iterations: number;
  stepWeightPromotion: number;
  mirror: boolean;
  primaryReadyThreshold: number;
  canaryReadyThreshold: number;
  metrics: DefaultedCanaryMetric[];
  webhooks: DefaultedCanaryWebhook[];
  alerts: DefaultedCanaryAlert[];
  sessionAffinity?: DefaultedSessionAffinity;
};
export type DefaultedCanaryService = CanaryService & {
  name: string;
  portName: string;
  targetPort: number | string;
  gateways: string[];
};
/** A CanarySpec with Flagger's defaults filled in and the deprecated `canaryAnalysis` folded into `analysis`. */
export type DefaultedCanarySpec = Omit<CanarySpec, 'analysis' | 'canaryAnalysis' | 'service'> & {
  progressDeadlineSeconds: number;
  skipAnalysis: boolean;
  revertOnDeletion: boolean;
  suspend: boolean;
  analysis: DefaultedCanaryAnalysis;
  service?: DefaultedCanaryService;
};

const positiveOr = (value: number | undefined, fallback: number): number =>
  value !== undefined && value > 0 ? value : fallback;

export function withMetricDefaults(metric: CanaryMetric): DefaultedCanaryMetric {
  return { ...metric, interval: metric.interval || CANARY_DEFAULTS.metricInterval };
}

export function withWebhookDefaults(webhook: CanaryWebhook): DefaultedCanaryWebhook {
  return {
    ...webhook,
    type: webhook.type || CANARY_DEFAULTS.webhookType,
    // Flagger also falls back when the string is too short to be a duration.
    timeout: webhook.timeout && webhook.timeout.length >= 2 ? webhook.timeout : CANARY_DEFAULTS.webhookTimeout,
    retries: webhook.retries ?? CANARY_DEFAULTS.webhookRetries,
  };
}

// Flagger sends nothing for an empty severity although its docs promise info; Linnet keeps the documented default.
export function withAlertDefaults(alert: CanaryAlert): DefaultedCanaryAlert {
  return { ...alert, severity: alert.severity || CANARY_DEFAULTS.alertSeverity };
}

export function withAnalysisDefaults(analysis: CanaryAnalysis): DefaultedCanaryAnalysis {
  const { sessionAffinity, ...rest } = analysis;
  return {
    ...rest,
    interval: analysis.interval || CANARY_DEFAULTS.analysisInterval,
    threshold: positiveOr(analysis.threshold, CANARY_DEFAULTS.threshold),
    maxWeight: positiveOr(analysis.maxWeight, CANARY_DEFAULTS.maxWeight),
    iterations: analysis.iterations ?? CANARY_DEFAULTS.iterations,
    stepWeightPromotion: analysis.stepWeightPromotion ?? CANARY_DEFAULTS.stepWeightPromotion,
    mirror: analysis.mirror ?? false,
    primaryReadyThreshold: analysis.primaryReadyThreshold ?? CANARY_DEFAULTS.readyThreshold,
    canaryReadyThreshold: analysis.canaryReadyThreshold ?? CANARY_DEFAULTS.readyThreshold,
    metrics: (analysis.metrics ?? []).map(withMetricDefaults),
    webhooks: (analysis.webhooks ?? []).map(withWebhookDefaults),
    alerts: (analysis.alerts ?? []).map(withAlertDefaults),
    ...(sessionAffinity && {
      sessionAffinity: {
        ...sessionAffinity,
        maxAge: positiveOr(sessionAffinity.maxAge, CANARY_DEFAULTS.sessionAffinityMaxAge),
      },
    }),
  };
}

export function withServiceDefaults(service: CanaryService, targetName: string): DefaultedCanaryService {
  const gateways = service.gateways?.length
    ? service.gateways
    : // A delegate VirtualService must have no gateways.
      service.delegation
      ? []
      : [...CANARY_DEFAULTS.gateways];
  return {
    ...service,
    name: service.name || targetName,
    portName: service.portName || CANARY_DEFAULTS.portName,
    targetPort: service.targetPort ?? service.port,
    gateways,
  };
}

/** The analysis Flagger uses: `analysis`, else the deprecated `canaryAnalysis`. */
export function effectiveAnalysis(spec: Pick<CanarySpec, 'analysis' | 'canaryAnalysis'>): CanaryAnalysis | undefined {
  return spec.analysis ?? spec.canaryAnalysis;
}

/** Returns a copy of the spec with Flagger's defaults applied; the input is not modified. */
export function withCanaryDefaults(spec: CanarySpec): DefaultedCanarySpec {
  const { canaryAnalysis: _deprecated, analysis: _analysis, service, ...rest } = spec;
  const analysis = effectiveAnalysis(spec);
  return {
    ...rest,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? CANARY_DEFAULTS.progressDeadlineSeconds,
    // Flagger skips the analysis of a Canary that has none.
    skipAnalysis: spec.skipAnalysis === true || analysis === undefined,
    revertOnDeletion: spec.revertOnDeletion ?? false,
    suspend: spec.suspend ?? false,
    analysis: withAnalysisDefaults(analysis ?? {}),
    ...(service && { service: withServiceDefaults(service, spec.targetRef.name) }),
  };
}

export function withAlertProviderDefaults(
  spec: AlertProviderSpec,
): AlertProviderSpec & { channel: string; username: string } {
  return {
    ...spec,
    channel: spec.channel || ALERT_PROVIDER_DEFAULTS.channel,
    username: spec.username || ALERT_PROVIDER_DEFAULTS.username,
  };
}

/**
 * The time between analysis checks: Flagger falls back to 60s when the interval does not parse and raises
 * anything below 10s to 10s. The floor is a parameter so tests and demos can run faster on purpose.
 */
export function effectiveAnalysisIntervalMs(
  analysis: Pick<CanaryAnalysis, 'interval'> | undefined,
  minimumMs: number = CANARY_DEFAULTS.minimumAnalysisIntervalMs,
): number {
  const parsed = analysis?.interval ? tryParseDuration(analysis.interval) : undefined;
  const intervalMs = parsed ?? DEFAULT_ANALYSIS_INTERVAL_MS;
  return Math.max(intervalMs, minimumMs);
}
