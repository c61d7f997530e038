import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '../paths.ts';
import {
  DEMO_NAMESPACE_LABEL,
  labelDemoNamespace,
  loadSeedManifests,
  rewriteLoadTesterUrls,
} from './seed-manifests.ts';

// The real examples/rollout, as the demo reads it.
const example = loadSeedManifests(join(repoRoot, 'examples', 'rollout'));

describe('examples/rollout as the demo applies it', () => {
  it('holds the seed walkthrough in kustomization order, the in-cluster test loader as a base it skips', () => {
    expect(example.objects.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual([
      'Namespace webapp',
      'Namespace istio-system',
      'Gateway public-gateway',
      'Deployment backend',
      'Canary backend',
    ]);
    expect(example.skipped).toEqual(['../../deploy/testloader/per-workload']);
  });

  it("keeps the seed's policy", () => {
    const canary = example.objects.find((object) => object.kind === 'Canary');
    expect(canary?.spec).toMatchObject({
      service: { port: 9898, gateways: ['istio-system/public-gateway'], hosts: ['backend.webapp'] },
      analysis: {
        threshold: 2,
        stepWeight: 10,
        maxWeight: 50,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 } },
          { name: 'request-duration', thresholdRange: { max: 500 } },
        ],
        webhooks: [
          {
            type: 'rollout',
            url: 'http://backend-testloader.webapp:8080/',
            metadata: { cmd: 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/' },
          },
        ],
      },
    });
  });

  it('points the rollout webhook at a reachable test loader, leaving the example untouched', () => {
    const { objects, rewrites } = rewriteLoadTesterUrls(
      example.objects,
      'http://backend-testloader.webapp:8080/',
      'http://127.0.0.1:40779/',
    );
    expect(rewrites).toEqual([
      {
        canary: 'backend',
        webhook: 'backend-rollout',
        from: 'http://backend-testloader.webapp:8080/',
        to: 'http://127.0.0.1:40779/',
      },
    ]);
    const webhooks = (canary: unknown): unknown =>
      (canary as { spec: { analysis: { webhooks: { url: string }[] } } }).spec.analysis.webhooks.map((w) => w.url);
    expect(webhooks(objects.find((object) => object.kind === 'Canary'))).toEqual(['http://127.0.0.1:40779/']);
    expect(webhooks(example.objects.find((object) => object.kind === 'Canary'))).toEqual([
      'http://backend-testloader.webapp:8080/',
    ]);
  });

  it('keeps the path of a gate webhook on the same test loader, and leaves other hosts alone', () => {
    const canary = {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'backend', namespace: 'webapp' },
      spec: {
        analysis: {
          webhooks: [
            { name: 'gate', url: 'http://backend-testloader.webapp:8080/gate/check' },
            { name: 'slack', url: 'https://hooks.example.com/x' },
          ],
        },
      },
    };
    const { rewrites } = rewriteLoadTesterUrls(
      [canary],
      'http://backend-testloader.webapp:8080/',
      'http://127.0.0.1:1/',
    );
    expect(rewrites.map((rewrite) => rewrite.to)).toEqual(['http://127.0.0.1:1/gate/check']);
  });

  it('labels the demo namespace only', () => {
    const labelled = labelDemoNamespace(example.objects, 'webapp');
    expect(labelled[0]?.metadata.labels).toEqual({ 'istio-injection': 'enabled', [DEMO_NAMESPACE_LABEL]: 'true' });
    expect(labelled[1]?.metadata.labels).toBeUndefined();
  });
});
