// The Canary Kurator renders from the seed walkthrough's Application (seed-application.fixture.ts): what
// `convertKuratorRollout` and `linnet convert kurator` must print for it (its Flagger reports "backend Initialized
// 0"). A test-only fixture, imported by relative path, never through the package index.
import type { Canary } from '../schema/canary.ts';

export const SEED_KURATOR_CANARY: Canary = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'backend', namespace: 'webapp' },
  spec: {
    provider: 'istio',
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
          name: 'generated-testload-0',
          type: 'rollout',
          url: 'http://backend-testloader.webapp:8080/',
          timeout: '60s',
          metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/' },
        },
      ],
    },
  },
};
