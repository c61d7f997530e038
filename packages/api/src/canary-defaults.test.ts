import { describe, expect, it } from '@jest/globals';
import {
  effectiveAnalysisIntervalMs,
  withAlertDefaults,
  withAlertProviderDefaults,
  withCanaryDefaults,
  withWebhookDefaults,
} from './canary-defaults.ts';
import type { CanarySpec } from './schema/canary.ts';

const minimalSpec: CanarySpec = {
  targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
  service: { port: 9898 },
  analysis: { stepWeight: 10 },
};

describe('withCanaryDefaults', () => {
  it("fills in Flagger's defaults for a minimal spec", () => {
    expect(withCanaryDefaults(minimalSpec)).toEqual({
      targetRef: minimalSpec.targetRef,
      progressDeadlineSeconds: 600,
      skipAnalysis: false,
      revertOnDeletion: false,
      suspend: false,
      service: { port: 9898, name: 'podinfo', portName: 'http', targetPort: 9898, gateways: ['mesh'] },
      analysis: {
        stepWeight: 10,
        interval: '60s',
        threshold: 1,
        maxWeight: 100,
        iterations: 0,
        stepWeightPromotion: 0,
        mirror: false,
        primaryReadyThreshold: 100,
        canaryReadyThreshold: 100,
        metrics: [],
        webhooks: [],
        alerts: [],
      },
    });
  });

  it('does not modify its input', () => {
    const spec = structuredClone(minimalSpec);
    withCanaryDefaults(spec);
    expect(spec).toEqual(minimalSpec);
  });

  it('treats threshold and maxWeight of 0 as unset, like Flagger', () => {
    const { analysis } = withCanaryDefaults({ ...minimalSpec, analysis: { threshold: 0, maxWeight: 0 } });
    expect(analysis).toMatchObject({ threshold: 1, maxWeight: 100 });
  });

  it('keeps a ready threshold of 0, which Flagger honours', () => {
    const { analysis } = withCanaryDefaults({ ...minimalSpec, analysis: { primaryReadyThreshold: 0 } });
    expect(analysis.primaryReadyThreshold).toBe(0);
  });

  it('prefers analysis over the deprecated canaryAnalysis', () => {
    const spec = withCanaryDefaults({
      ...minimalSpec,
      analysis: { stepWeight: 20 },
      canaryAnalysis: { stepWeight: 5 },
    });
    expect(spec.analysis.stepWeight).toBe(20);
  });

  it('skips the analysis of a Canary without one', () => {
    const { analysis: _none, ...spec } = minimalSpec;
    expect(withCanaryDefaults(spec).skipAnalysis).toBe(true);
  });

  it('keeps explicit service names and ports', () => {
    const spec = withCanaryDefaults({
      ...minimalSpec,
      service: { port: 80, name: 'frontend', portName: 'grpc', targetPort: 'grpc', gateways: ['public'] },
    });
    expect(spec.service).toEqual({
      port: 80,
      name: 'frontend',
      portName: 'grpc',
      targetPort: 'grpc',
      gateways: ['public'],
    });
  });
});

describe('webhook and alert defaults', () => {
  it('defaults the webhook type to rollout and the timeout to 10s', () => {
    expect(withWebhookDefaults({ name: 'load', url: 'http://tester/', type: '' })).toEqual({
      name: 'load',
      url: 'http://tester/',
      type: 'rollout',
      timeout: '10s',
      retries: 0,
    });
  });

  it('falls back to 10s for a timeout too short to be a duration, as Flagger does', () => {
    expect(withWebhookDefaults({ name: 'load', url: 'http://tester/', timeout: '5' }).timeout).toBe('10s');
  });

  it('sends every severity to an alert without one (Flagger sends nothing)', () => {
    expect(withAlertDefaults({ name: 'chat', providerRef: { name: 'slack' } }).severity).toBe('info');
  });

  it('defaults the AlertProvider channel and user name', () => {
    expect(withAlertProviderDefaults({ type: 'slack', address: 'https://hooks.slack.com/x' })).toMatchObject({
      channel: 'general',
      username: 'flagger',
    });
  });
});

describe('effectiveAnalysisIntervalMs', () => {
  it.each([
    ['1m', 60_000],
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['5s', 10_000],
    ['not-a-duration', 60_000],
    [undefined, 60_000],
  ])('interval %s means %d ms', (interval, expected) => {
    expect(effectiveAnalysisIntervalMs(interval === undefined ? {} : { interval })).toBe(expected);
  });

  it('takes a lower floor for fast test environments', () => {
    expect(effectiveAnalysisIntervalMs({ interval: '2s' }, 1_000)).toBe(2_000);
  });
});
