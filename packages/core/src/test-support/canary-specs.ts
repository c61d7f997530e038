// Canary specs for the core's tests.
import type { CanaryAnalysis, CanarySpec, CanaryWebhook } from '@linnet/api';

export const successRateMetric = { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' };
export const durationMetric = { name: 'request-duration', thresholdRange: { max: 500 }, interval: '30s' };

export function canarySpec(analysis: CanaryAnalysis, extra: Partial<CanarySpec> = {}): CanarySpec {
  return {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    service: { port: 9898 },
    analysis: { interval: '1m', threshold: 1, metrics: [successRateMetric], ...analysis },
    ...extra,
  };
}

export function hook(name: string, type: CanaryWebhook['type'], extra: Partial<CanaryWebhook> = {}): CanaryWebhook {
  return { name, type, url: `http://loadtester.test/${name}`, ...extra };
}

/** The seed walkthrough's Canary as Kurator renders it (as in examples/rollout/canary.yaml, with the seed's 90s intervals). */
export const seedCanarySpec: CanarySpec = {
  targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
  progressDeadlineSeconds: 600,
  service: {
    name: 'backend',
    port: 9898,
    gateways: ['istio-system/public-gateway'],
    hosts: ['backend.webapp'],
    timeout: '60s',
  },
  analysis: {
    interval: '90s',
    threshold: 2,
    maxWeight: 50,
    stepWeight: 10,
    metrics: [
      { name: 'request-success-rate', interval: '90s', thresholdRange: { min: 99 } },
      { name: 'request-duration', interval: '90s', thresholdRange: { max: 500 } },
    ],
    webhooks: [
      {
        name: 'backend-rollout',
        type: 'rollout',
        url: 'http://backend-testloader.webapp:8080/',
        timeout: '60s',
        metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/' },
      },
    ],
  },
};
