import type { V1Secret } from '@kubernetes/client-node';
import type { CanarySpec, MetricTemplate } from '@linnet/api';
import type { PrometheusAuth, PrometheusProviderConfig } from './prometheus-provider.ts';

export type MetricsProviderConfigErrorReason =
  'MetricsProviderUnsupported' | 'MetricsProviderSecretNotFound' | 'MetricsProviderSecretInvalid';

export class MetricsProviderConfigError extends Error {
  readonly reason: MetricsProviderConfigErrorReason;
  constructor(reason: MetricsProviderConfigErrorReason, message: string) {
    super(message);
    this.name = 'MetricsProviderConfigError';
    this.reason = reason;
  }
}

/**
 * Where built-in metrics and inline `query` metrics run: the Canary's `metricsServer`, else the controller's
 * `--metrics-server` flag (Flagger's `-metrics-server`, default http://prometheus:9090).
 */
export function builtinProviderConfig(
  spec: Pick<CanarySpec, 'metricsServer'>,
  defaultAddress: string,
): PrometheusProviderConfig {
  return { address: spec.metricsServer || defaultAddress };
}

export interface TemplateProviderInputs {
  template: Pick<MetricTemplate, 'metadata' | 'spec'>;
  /** The Secret named by `provider.secretRef`, read from the template's namespace; undefined if it does not exist. */
  secret?: Pick<V1Secret, 'data'> | undefined;
  canaryMetricsServer?: string | undefined;
  defaultAddress: string;
}

/**
 * The Prometheus connection of a MetricTemplate: its `provider.address` (Linnet falls back to the Canary's
 * `metricsServer`, then the flag, where Flagger would fail on an empty address), its `headers`,
 * `insecureSkipVerify`, and credentials from `secretRef`: `token` (bearer) or `username` + `password` (basic).
 */
export function templateProviderConfig(inputs: TemplateProviderInputs): PrometheusProviderConfig {
  const { template } = inputs;
  const provider = template.spec.provider;
  const templateName = `${template.metadata.namespace ?? ''}/${template.metadata.name ?? ''}`;
  if (provider.type !== 'prometheus') {
    throw new MetricsProviderConfigError(
      'MetricsProviderUnsupported',
      `MetricTemplate ${templateName} uses provider type "${provider.type}"; Linnet supports prometheus`,
    );
  }

  const config: PrometheusProviderConfig = {
    address: provider.address || inputs.canaryMetricsServer || inputs.defaultAddress,
  };
  if (provider.headers !== undefined) config.headers = provider.headers;
  if (provider.insecureSkipVerify === true) config.insecureSkipVerify = true;

  if (provider.secretRef !== undefined) {
    const secretName = `${template.metadata.namespace ?? ''}/${provider.secretRef.name}`;
    if (inputs.secret === undefined) {
      throw new MetricsProviderConfigError(
        'MetricsProviderSecretNotFound',
        `Secret ${secretName} referenced by MetricTemplate ${templateName} was not found`,
      );
    }
    const auth = authFromSecret(inputs.secret.data ?? {}, secretName);
    if (auth !== undefined) config.auth = auth;
  }
  return config;
}

/** Secret `.data` is base64; a bearer `token` wins over basic credentials when both are present. */
function authFromSecret(data: Readonly<Record<string, string>>, secretName: string): PrometheusAuth | undefined {
  const decode = (key: string): string | undefined => {
    const value = data[key];
    return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
  };
  const token = decode('token');
  if (token !== undefined && token !== '') return { kind: 'bearer', token };
  const username = decode('username');
  if (username === undefined) return undefined;
  const password = decode('password');
  if (password === undefined) {
    throw new MetricsProviderConfigError(
      'MetricsProviderSecretInvalid',
      `Secret ${secretName} has a username but no password`,
    );
  }
  return { kind: 'basic', username, password };
}
