import { describe, expect, it } from '@jest/globals';
import { annotateCommandLine, optInAnnotationsFor } from './annotation-act.ts';
import type { SeedObject } from './seed-manifests.ts';

const exampleCanary: SeedObject = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'backend', namespace: 'webapp' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
    service: { port: 9898, timeout: '60s', gateways: ['istio-system/public-gateway'], hosts: ['backend.webapp'] },
    analysis: {
      interval: '5s',
      threshold: 2,
      maxWeight: 50,
      stepWeight: 10,
      metrics: [
        { name: 'request-success-rate', interval: '15s', thresholdRange: { min: 99 } },
        { name: 'request-duration', interval: '15s', thresholdRange: { max: 500 } },
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
  },
};

describe('the demo annotation act', () => {
  it("annotates the Deployment with the example Canary's settings, leaving the test loader to the controller", () => {
    expect(optInAnnotationsFor(exampleCanary)).toEqual({
      'linnet.dev/canary': 'enabled',
      'linnet.dev/interval': '5s',
      'linnet.dev/threshold': '2',
      'linnet.dev/step-weight': '10',
      'linnet.dev/max-weight': '50',
      'linnet.dev/metric-interval': '15s',
      'linnet.dev/gateways': 'istio-system/public-gateway',
      'linnet.dev/hosts': 'backend.webapp',
      'linnet.dev/timeout': '60s',
      'linnet.dev/load-test': 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/',
      'linnet.dev/load-test-timeout': '60s',
    });
  });

  it('prints the kubectl annotate command with quoted values', () => {
    expect(
      annotateCommandLine('webapp', 'backend', { 'linnet.dev/canary': 'enabled', 'linnet.dev/load-test': 'hey x' }),
    ).toBe(
      "kubectl -n webapp annotate deployment backend linnet.dev/canary=enabled \\\n     linnet.dev/load-test='hey x'",
    );
  });
});
