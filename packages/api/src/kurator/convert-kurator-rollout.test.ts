import { describe, expect, it } from '@jest/globals';
import { validateCanary } from '../validation/validate-resources.ts';
import { convertKuratorRollout } from './convert-kurator-rollout.ts';
import { SEED_APPLICATION_JSON } from './seed-application.fixture.ts';
import { SEED_KURATOR_CANARY } from './seed-canary.fixture.ts';

const seedApplication: unknown = JSON.parse(SEED_APPLICATION_JSON);
const seedRollout = (seedApplication as { spec: { syncPolicies: Array<{ rollout?: Record<string, unknown> }> } }).spec
  .syncPolicies[0]?.rollout as Record<string, unknown>;
const seedPolicy = seedRollout.rolloutPolicy as Record<string, unknown>;

describe('convertKuratorRollout', () => {
  it('converts the seed Application into the Canary Kurator renders', () => {
    const conversion = convertKuratorRollout(seedApplication);
    expect(conversion.problems).toEqual([]);
    expect(conversion.warnings).toEqual([]);
    expect(conversion.shape).toBe('Application');
    expect(conversion.rollouts).toEqual([
      {
        source: 'spec.syncPolicies[0].rollout',
        canary: SEED_KURATOR_CANARY,
        privateTestLoader: {
          name: 'backend-testloader',
          namespace: 'webapp',
          url: 'http://backend-testloader.webapp:8080/',
        },
      },
    ]);
    expect(validateCanary(conversion.rollouts[0]?.canary)).toEqual([]);
  });

  it('converts the seed rollout on its own', () => {
    const conversion = convertKuratorRollout(seedRollout);
    expect(conversion.shape).toBe('RolloutConfig');
    expect(conversion.rollouts.map((rollout) => rollout.canary)).toEqual([SEED_KURATOR_CANARY]);
  });

  it('converts a bare rolloutPolicy with the workload and port given as options', () => {
    const conversion = convertKuratorRollout(seedPolicy, {
      workload: { name: 'backend', namespace: 'webapp' },
      port: 9898,
    });
    expect(conversion.problems).toEqual([]);
    const canary = conversion.rollouts[0]?.canary;
    expect(canary?.spec.analysis).toEqual(SEED_KURATOR_CANARY.spec.analysis);
    expect(canary?.spec.service).toEqual({ ...SEED_KURATOR_CANARY.spec.service, name: undefined });
    expect(canary?.spec.provider).toBeUndefined();
    expect(conversion.rollouts[0]?.privateTestLoader).toBeUndefined();
  });

  it('reads rollout-level fields written next to a bare rolloutPolicy', () => {
    const conversion = convertKuratorRollout(
      { ...seedPolicy, testLoader: true, port: 9898 },
      { workload: { name: 'backend', namespace: 'webapp' } },
    );
    expect(conversion.problems).toEqual([]);
    expect(conversion.rollouts[0]?.privateTestLoader?.name).toBe('backend-testloader');
    expect(conversion.rollouts[0]?.canary.spec.service?.port).toBe(9898);
  });

  it('maps analysisTimes to iterations: blue/green without match, A/B testing with it', () => {
    const blueGreen = convertKuratorRollout({
      workload: { kind: 'DaemonSet', name: 'agent', namespace: 'ops' },
      port: 8080,
      rolloutPolicy: {
        trafficAnalysis: { checkIntervalSeconds: 30, checkFailedTimes: 3 },
        trafficRouting: { analysisTimes: 5 },
      },
    });
    expect(blueGreen.problems).toEqual([]);
    expect(blueGreen.rollouts[0]?.canary.spec.targetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'agent',
    });
    expect(blueGreen.rollouts[0]?.canary.spec.analysis).toEqual({ interval: '30s', threshold: 3, iterations: 5 });

    const match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
    const abTesting = convertKuratorRollout({
      workload: { name: 'web', namespace: 'shop' },
      port: 80,
      rolloutPolicy: { trafficAnalysis: { checkFailedTimes: 1 }, trafficRouting: { analysisTimes: 10, match } },
    });
    expect(abTesting.rollouts[0]?.canary.spec.analysis).toMatchObject({ interval: '60s', iterations: 10, match });
  });

  it('maps stepWeights, stepWeightPromotion, metadata and flags', () => {
    const conversion = convertKuratorRollout({
      workload: { name: 'web', namespace: 'shop' },
      serviceName: 'web-svc',
      port: 80,
      primary: { labels: { tier: 'stable' } },
      preview: { annotations: { note: 'preview' } },
      rolloutPolicy: {
        skipTrafficAnalysis: true,
        revertOnDeletion: true,
        suspend: true,
        trafficAnalysis: {
          checkFailedTimes: 1,
          metrics: [{ name: 'request-success-rate', thresholdRange: { min: 95 } }],
          webhooks: { command: ['hey -z 10s http://web-canary.shop/', 'hey -z 20s http://web-canary.shop/'] },
        },
        trafficRouting: { canaryStrategy: { stepWeights: [1, 10, 50], stepWeightPromotion: 25 } },
      },
    });
    expect(conversion.problems).toEqual([]);
    const spec = conversion.rollouts[0]?.canary.spec;
    expect(spec).toMatchObject({ skipAnalysis: true, revertOnDeletion: true, suspend: true });
    expect(spec?.service).toEqual({
      name: 'web-svc',
      port: 80,
      primary: { labels: { tier: 'stable' } },
      canary: { annotations: { note: 'preview' } },
    });
    expect(spec?.analysis?.stepWeights).toEqual([1, 10, 50]);
    expect(spec?.analysis?.stepWeightPromotion).toBe(25);
    expect(spec?.analysis?.metrics).toEqual([
      { name: 'request-success-rate', interval: '60s', thresholdRange: { min: 95 } },
    ]);
    expect(spec?.analysis?.webhooks?.map((webhook) => [webhook.name, webhook.timeout])).toEqual([
      ['generated-testload-0', '60s'],
      ['generated-testload-1', '60s'],
    ]);
  });

  it('sends load tests to the load tester given in the options', () => {
    const conversion = convertKuratorRollout(seedRollout, { loadTesterUrl: 'http://loadtester.linnet:8080/' });
    expect(conversion.rollouts[0]?.canary.spec.analysis?.webhooks?.[0]?.url).toBe('http://loadtester.linnet:8080/');
  });

  it('reports malformed input with its path in the input', () => {
    const conversion = convertKuratorRollout({
      ...seedPolicy,
      trafficAnalysis: { checkIntervalSeconds: 'ninety', checkFailedTimes: 2 },
    });
    expect(conversion.rollouts).toEqual([]);
    expect(conversion.problems).toEqual([
      { path: 'trafficAnalysis.checkIntervalSeconds', message: 'must be an integer (got "ninety")' },
    ]);
  });

  it('reports a rollout without workload or port', () => {
    const conversion = convertKuratorRollout(seedPolicy);
    expect(conversion.problems).toEqual([
      { path: 'workload.name', message: 'is required: the Deployment or DaemonSet to roll out' },
      { path: 'port', message: 'is required: the port the workload serves on' },
    ]);
  });

  it('reports a Canary that would not validate', () => {
    const conversion = convertKuratorRollout({
      workload: { name: 'web' },
      port: 80,
      rolloutPolicy: { trafficRouting: { canaryStrategy: { stepWeight: 10, stepWeights: [5, 10] } } },
    });
    expect(conversion.problems).toEqual([
      {
        path: '',
        message:
          'gives an invalid Canary: spec.analysis.stepWeights: cannot be combined with stepWeight (Flagger would ' +
          'silently ignore stepWeights); set only one of them',
      },
    ]);
  });

  it('warns about fields it ignores and rejects what is not Kurator input', () => {
    const conversion = convertKuratorRollout({ ...seedRollout, trafficRoutingProvder: 'istio' });
    expect(conversion.warnings).toEqual([
      {
        path: 'trafficRoutingProvder',
        message: 'is not a known field and is ignored (did you mean trafficRoutingProvider?)',
      },
    ]);
    expect(convertKuratorRollout({ kind: 'Deployment' }).problems[0]?.message).toMatch(/is not a Kurator/);
    expect(convertKuratorRollout({ kind: 'Application', spec: { syncPolicies: [{}] } }).problems).toEqual([
      { path: '', message: 'has no spec.syncPolicies[].rollout to convert' },
    ]);
  });
});
