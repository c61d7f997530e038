import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { withCanaryDefaults } from '../canary-defaults.ts';
import { alertProviderSchema } from '../schema/alert-provider.ts';
import { canarySchema } from '../schema/canary.ts';
import { metricTemplateSchema } from '../schema/metric-template.ts';
import * as manifests from './fixtures/flagger-manifests.ts';
import { validateAlertProvider, validateCanary, validateMetricTemplate } from './validate-resources.ts';

const canaryManifests = {
  kuratorBackendCanary: manifests.kuratorBackendCanary,
  istioProgressiveCanary: manifests.istioProgressiveCanary,
  istioAbTestingCanary: manifests.istioAbTestingCanary,
  kubernetesBlueGreenCanary: manifests.kubernetesBlueGreenCanary,
  istioMirroringCanary: manifests.istioMirroringCanary,
  istioSessionAffinityCanary: manifests.istioSessionAffinityCanary,
  stepWeightsCanaryWithGates: manifests.stepWeightsCanaryWithGates,
  deprecatedCanaryAnalysisCanary: manifests.deprecatedCanaryAnalysisCanary,
};

const defaultedSpec = (manifest: string) => withCanaryDefaults(canarySchema.parse(parse(manifest)).spec);

describe('Flagger manifests', () => {
  it.each(Object.entries(canaryManifests))('%s validates cleanly and parses', (_name, manifest) => {
    const object: unknown = parse(manifest);
    expect(validateCanary(object)).toEqual([]);
    expect(canarySchema.safeParse(object).success).toBe(true);
  });

  it('parsing keeps every field of a manifest (nothing is pruned)', () => {
    for (const manifest of Object.values(canaryManifests)) {
      const object: unknown = parse(manifest);
      expect(canarySchema.parse(object)).toEqual(object);
    }
  });

  it('the MetricTemplate and AlertProvider examples validate cleanly', () => {
    const template: unknown = parse(manifests.notFoundPercentageTemplate);
    const provider: unknown = parse(manifests.slackAlertProvider);
    expect(validateMetricTemplate(template)).toEqual([]);
    expect(validateAlertProvider(provider)).toEqual([]);
    expect(metricTemplateSchema.parse(template)).toEqual(template);
    expect(alertProviderSchema.parse(provider)).toEqual(provider);
  });
});

describe('defaults of the Flagger manifests', () => {
  it('Kurator backend canary: interval and weights kept, Flagger defaults filled in', () => {
    const spec = defaultedSpec(manifests.kuratorBackendCanary);
    expect(spec.analysis).toMatchObject({
      interval: '90s',
      threshold: 2,
      maxWeight: 50,
      stepWeight: 10,
      iterations: 0,
      stepWeightPromotion: 0,
      mirror: false,
      primaryReadyThreshold: 100,
      canaryReadyThreshold: 100,
      alerts: [],
    });
    expect(spec.analysis.webhooks[0]).toMatchObject({ type: 'rollout', timeout: '60s', retries: 0 });
    expect(spec.analysis.metrics.map((metric) => metric.interval)).toEqual(['90s', '90s']);
    expect(spec.service).toMatchObject({
      name: 'backend',
      port: 9898,
      portName: 'http',
      targetPort: 9898,
      gateways: ['istio-system/public-gateway'],
      hosts: ['backend.webapp'],
    });
    expect(spec).toMatchObject({ progressDeadlineSeconds: 600, skipAnalysis: false, suspend: false });
  });

  it('progressive canary: unnamed webhook type becomes rollout, metric intervals kept', () => {
    const spec = defaultedSpec(manifests.istioProgressiveCanary);
    expect(spec.progressDeadlineSeconds).toBe(60);
    expect(spec.analysis.webhooks.map((webhook) => webhook.type)).toEqual(['pre-rollout', 'rollout']);
    expect(spec.service?.name).toBe('podinfo');
  });

  it('mirroring blue/green keeps iterations and mirror', () => {
    const spec = defaultedSpec(manifests.istioMirroringCanary);
    expect(spec.analysis).toMatchObject({ iterations: 10, mirror: true, mirrorWeight: 100, maxWeight: 100 });
    expect(spec.service?.gateways).toEqual(['mesh']);
  });

  it('session affinity keeps its maxAge; a missing one defaults to 86400', () => {
    expect(defaultedSpec(manifests.istioSessionAffinityCanary).analysis.sessionAffinity?.maxAge).toBe(21600);
    const object = canarySchema.parse(parse(manifests.istioSessionAffinityCanary));
    delete object.spec.analysis?.sessionAffinity?.maxAge;
    expect(withCanaryDefaults(object.spec).analysis.sessionAffinity).toEqual({
      cookieName: 'flagger-cookie',
      primaryCookieName: 'flagger-primary-cookie',
      maxAge: 86400,
    });
  });

  it('a delegate VirtualService gets no default gateway; alert severity is kept', () => {
    const spec = defaultedSpec(manifests.stepWeightsCanaryWithGates);
    expect(spec.service?.gateways).toEqual([]);
    expect(spec.analysis.stepWeights).toEqual([1, 2, 10, 200]);
    expect(spec.analysis.alerts[0]?.severity).toBe('error');
  });

  it('the deprecated canaryAnalysis becomes analysis', () => {
    const spec = defaultedSpec(manifests.deprecatedCanaryAnalysisCanary);
    expect(spec.analysis).toMatchObject({ interval: '1m', threshold: 10, maxWeight: 50, stepWeight: 5 });
    expect(spec).not.toHaveProperty('canaryAnalysis');
  });
});
