// examples/rollout and its local overlay as the real kubectl (built by testenv) renders them: the base for real
// clusters (1-minute metric windows, the in-cluster test loader), the overlay with the demo's fast settings.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '../src/paths.ts';
import { binaryPaths } from '../src/versions.ts';
import { parseSeedManifests, type SeedObject } from '../src/demo/seed-manifests.ts';

function render(directory: string): SeedObject[] {
  const yaml = execFileSync(binaryPaths().kubectl, ['kustomize', join(repoRoot, directory)], { encoding: 'utf8' });
  return parseSeedManifests(yaml, directory);
}

const names = (objects: SeedObject[]): string[] => objects.map((object) => `${object.kind} ${object.metadata.name}`);

interface CanaryAnalysisView {
  interval: string;
  metrics: { name: string; interval: string }[];
  webhooks: { url: string }[];
}
const analysisOf = (objects: SeedObject[]): CanaryAnalysisView =>
  (objects.find((object) => object.kind === 'Canary') as unknown as { spec: { analysis: CanaryAnalysisView } }).spec
    .analysis;

describe('examples/rollout', () => {
  it('checks every minute over 1-minute metric windows, and brings the per-workload test loader', () => {
    const objects = render('examples/rollout');
    const analysis = analysisOf(objects);
    expect(analysis.interval).toBe('1m');
    expect(analysis.metrics.map((metric) => metric.interval)).toEqual(['1m', '1m']);
    expect(analysis.webhooks.map((webhook) => webhook.url)).toEqual(['http://backend-testloader.webapp:8080/']);
    expect(names(objects)).toEqual(
      expect.arrayContaining(['Deployment backend-testloader', 'Service backend-testloader', 'Canary backend']),
    );
  });

  it('has a local overlay with 5 s checks over 15 s windows and without the in-cluster test loader', () => {
    const objects = render('examples/rollout-local');
    const analysis = analysisOf(objects);
    expect(analysis.interval).toBe('5s');
    expect(analysis.metrics.map((metric) => metric.interval)).toEqual(['15s', '15s']);
    expect(names(objects).sort()).toEqual([
      'Canary backend',
      'Deployment backend',
      'Gateway public-gateway',
      'Namespace istio-system',
      'Namespace webapp',
    ]);
  });
});
