import { describe, expect, it } from '@jest/globals';
import { validateAlertProvider, validateMetricTemplate } from './validate-resources.ts';

const metricTemplate = (spec: Record<string, unknown>) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'MetricTemplate',
  metadata: { name: 'error-rate', namespace: 'test' },
  spec,
});

const alertProvider = (spec: Record<string, unknown>) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'AlertProvider',
  metadata: { name: 'on-call', namespace: 'test' },
  spec,
});

describe('validateMetricTemplate', () => {
  it('accepts a Prometheus template', () => {
    expect(
      validateMetricTemplate(
        metricTemplate({ provider: { type: 'prometheus', address: 'http://prometheus:9090' }, query: 'vector(1)' }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'an unknown provider type',
      { provider: { type: 'graphana' }, query: 'x' },
      {
        path: 'spec.provider.type',
        message:
          'must be one of "prometheus", "influxdb", "datadog", "externalmetrics", "stackdriver", "cloudwatch", ' +
          '"newrelic", "graphite", "dynatrace", "keptn", "splunk" (got "graphana")',
      },
    ],
    ['a missing query', { provider: { type: 'prometheus' } }, { path: 'spec.query', message: 'is required' }],
    [
      'an empty query',
      { provider: { type: 'prometheus' }, query: '' },
      { path: 'spec.query', message: 'must not be empty' },
    ],
    [
      'an address that is not a URL',
      { provider: { type: 'prometheus', address: 'prometheus:9090' }, query: 'x' },
      { path: 'spec.provider.address', message: 'must be an absolute http or https URL (got "prometheus:9090")' },
    ],
    [
      'headers that are not lists',
      { provider: { type: 'prometheus', headers: { 'X-Scope-OrgID': 'tenant' } }, query: 'x' },
      { path: 'spec.provider.headers.X-Scope-OrgID', message: 'must be a list (got "tenant")' },
    ],
  ])('rejects %s', (_name, spec, expected) => {
    expect(validateMetricTemplate(metricTemplate(spec))).toEqual([expected]);
  });

  it('checks kind', () => {
    expect(
      validateMetricTemplate({ ...metricTemplate({ provider: { type: 'prometheus' }, query: 'x' }), kind: 'Canary' }),
    ).toEqual([{ path: 'kind', message: 'must be MetricTemplate (got "Canary")' }]);
  });
});

describe('validateAlertProvider', () => {
  it.each([
    ['type and address', { type: 'slack', address: 'https://hooks.slack.com/services/x' }],
    ['type and secretRef', { type: 'msteams', secretRef: { name: 'teams-url' } }],
  ])('accepts %s', (_name, spec) => {
    expect(validateAlertProvider(alertProvider(spec))).toEqual([]);
  });

  it.each([
    [
      'neither address nor secretRef',
      { type: 'slack', channel: 'alerts' },
      { path: 'spec', message: 'needs address or secretRef (a Secret with the hook URL under key address)' },
    ],
    ['a missing type', { address: 'https://hooks.slack.com/x' }, { path: 'spec.type', message: 'is required' }],
    [
      'an unknown type',
      { type: 'pagerduty', address: 'https://events.pagerduty.com/' },
      {
        path: 'spec.type',
        message: 'must be one of "slack", "msteams", "discord", "rocket", "gchat" (got "pagerduty")',
      },
    ],
    [
      'an address that is not a URL',
      { type: 'discord', address: 'discord/webhook' },
      { path: 'spec.address', message: 'must be an absolute http or https URL (got "discord/webhook")' },
    ],
    [
      'a secretRef without name',
      { type: 'slack', secretRef: {} },
      { path: 'spec.secretRef.name', message: 'is required' },
    ],
  ])('rejects %s', (_name, spec, expected) => {
    expect(validateAlertProvider(alertProvider(spec))).toEqual([expected]);
  });
});
