import { describe, expect, it } from '@jest/globals';
import type { MetricTemplate } from '@linnet/api';
import { builtinProviderConfig, MetricsProviderConfigError, templateProviderConfig } from './provider-config.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function template(provider: MetricTemplate['spec']['provider']): Pick<MetricTemplate, 'metadata' | 'spec'> {
  return { metadata: { name: 'latency', namespace: 'istio-system' }, spec: { provider, query: 'vector(1)' } };
}

function configError(run: () => unknown): MetricsProviderConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof MetricsProviderConfigError) return error;
    throw error;
  }
  throw new Error('expected a MetricsProviderConfigError');
}

describe('builtinProviderConfig', () => {
  it('uses the Canary metricsServer over the flag', () => {
    expect(builtinProviderConfig({ metricsServer: 'http://prom.monitoring:9090' }, 'http://prometheus:9090')).toEqual({
      address: 'http://prom.monitoring:9090',
    });
    expect(builtinProviderConfig({}, 'http://prometheus:9090')).toEqual({ address: 'http://prometheus:9090' });
  });
});

describe('templateProviderConfig', () => {
  const defaults = { defaultAddress: 'http://prometheus:9090' };

  it('uses the template address, headers and TLS setting', () => {
    const config = templateProviderConfig({
      ...defaults,
      canaryMetricsServer: 'http://canary-prom:9090',
      template: template({
        type: 'prometheus',
        address: 'https://thanos.example/prometheus',
        headers: { 'X-Scope-OrgID': ['team-a'] },
        insecureSkipVerify: true,
      }),
    });
    expect(config).toEqual({
      address: 'https://thanos.example/prometheus',
      headers: { 'X-Scope-OrgID': ['team-a'] },
      insecureSkipVerify: true,
    });
  });

  it('falls back to the Canary metricsServer, then the flag, when the template has no address', () => {
    expect(
      templateProviderConfig({
        ...defaults,
        canaryMetricsServer: 'http://c:9090',
        template: template({ type: 'prometheus' }),
      }),
    ).toEqual({ address: 'http://c:9090' });
    expect(templateProviderConfig({ ...defaults, template: template({ type: 'prometheus' }) })).toEqual({
      address: 'http://prometheus:9090',
    });
  });

  it('reads a bearer token or basic credentials from the secret', () => {
    const withSecret = template({ type: 'prometheus', address: 'http://p:9090', secretRef: { name: 'prom-auth' } });
    expect(
      templateProviderConfig({ ...defaults, template: withSecret, secret: { data: { token: b64('t0k') } } }).auth,
    ).toEqual({
      kind: 'bearer',
      token: 't0k',
    });
    expect(
      templateProviderConfig({
        ...defaults,
        template: withSecret,
        secret: { data: { username: b64('admin'), password: b64('s3cret') } },
      }).auth,
    ).toEqual({ kind: 'basic', username: 'admin', password: 's3cret' });
  });

  it('rejects a username without password, a missing secret and other provider types', () => {
    const withSecret = template({ type: 'prometheus', secretRef: { name: 'prom-auth' } });
    expect(
      configError(() =>
        templateProviderConfig({ ...defaults, template: withSecret, secret: { data: { username: b64('a') } } }),
      ),
    ).toMatchObject({
      reason: 'MetricsProviderSecretInvalid',
      message: 'Secret istio-system/prom-auth has a username but no password',
    });
    expect(configError(() => templateProviderConfig({ ...defaults, template: withSecret }))).toMatchObject({
      reason: 'MetricsProviderSecretNotFound',
    });
    expect(
      configError(() => templateProviderConfig({ ...defaults, template: template({ type: 'datadog' }) })),
    ).toMatchObject({
      reason: 'MetricsProviderUnsupported',
      message: 'MetricTemplate istio-system/latency uses provider type "datadog"; Linnet supports prometheus',
    });
  });
});
