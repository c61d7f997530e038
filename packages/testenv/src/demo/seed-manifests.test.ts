import { describe, expect, it } from '@jest/globals';
import {
  DEMO_NAMESPACE_LABEL,
  formatSeedManifests,
  labelDemoNamespace,
  parseSeedManifests,
  rewriteLoadTesterUrls,
} from './seed-manifests.ts';

// What `kubectl kustomize examples/rollout-local` prints, cut down to the fields the demo touches (the rendering
// itself is checked against the real files with the real kubectl in test/examples.itest.ts).
const RENDERED = `apiVersion: v1
kind: Namespace
metadata:
  labels:
    istio-injection: enabled
  name: webapp
---
apiVersion: v1
kind: Namespace
metadata:
  name: istio-system
---
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: backend
  namespace: webapp
spec:
  analysis:
    interval: 5s
    webhooks:
    - name: backend-rollout
      type: rollout
      url: http://backend-testloader.webapp:8080/
`;
const example = { objects: parseSeedManifests(RENDERED, 'kubectl kustomize') };

describe('the seed manifests as the demo applies them', () => {
  it('parses the rendered stream in order and writes it back', () => {
    expect(example.objects.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual([
      'Namespace webapp',
      'Namespace istio-system',
      'Canary backend',
    ]);
    expect(parseSeedManifests(formatSeedManifests(example.objects), 'again')).toEqual(example.objects);
    expect(() => parseSeedManifests('kind: Pod\n', 'bad.yaml')).toThrow(
      'bad.yaml: a document without apiVersion, kind or metadata.name',
    );
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
