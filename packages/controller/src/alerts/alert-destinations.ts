// Turns an AlertProvider (and its Secret) or the global flags into a destination to post to. Secret keys win over
// the spec: address, proxy, token (Slack only), username, channel. Problems are described without the address or the token.
import { withAlertProviderDefaults, type AlertProviderSpec, type AlertProviderType } from '@linnet/api';
import type { ControllerOptions } from '../flags/index.ts';
import { defineResourceType, resourceTypes, type KubeAccess, type KubeObject } from '../kube/index.ts';
import { clusterTypes, type SecretResource } from '../reconcile/cluster-types.ts';
import type { AlertDestination } from './alert-notice.ts';
import type { AlertRoute } from './alert-routing.ts';

export interface AlertProviderResource extends KubeObject {
  spec: AlertProviderSpec;
}

const alertProviders = defineResourceType<AlertProviderResource>(resourceTypes.alertProvider);

/** Why an AlertProvider cannot be used; `message` names the provider and the fix, never the URL or the token. */
export class AlertProviderProblem extends Error {
  readonly reason = 'AlertProviderInvalid';
}

const SECRET_KEYS = ['address', 'proxy', 'token', 'username', 'channel'] as const;
type SecretKey = (typeof SECRET_KEYS)[number];

/** The destination of an AlertProvider given its Secret (when it has a secretRef); throws AlertProviderProblem. */
export function providerDestination(provider: AlertProviderResource, secret?: SecretResource): AlertDestination {
  const name = `${provider.metadata?.namespace ?? ''}/${provider.metadata?.name ?? ''}`;
  const spec = withAlertProviderDefaults(provider.spec);
  const secretRef = spec.secretRef?.name;
  const fromSecret = secretRef ? secretValues(secret) : {};
  if (secretRef && fromSecret.address === undefined) {
    throw new AlertProviderProblem(`AlertProvider ${name}: Secret ${secretRef} has no key "address"`);
  }
  const url = fromSecret.address ?? spec.address ?? '';
  if (!url) throw new AlertProviderProblem(`AlertProvider ${name} has neither address nor secretRef`);
  const proxy = fromSecret.proxy ?? spec.proxy ?? '';
  const type = requireType(name, spec.type);
  return {
    provider: name,
    type,
    url: requireHttpUrl(name, 'address', url),
    ...(proxy && { proxy: requireHttpUrl(name, 'proxy', proxy) }),
    // A Slack bot token; never sent to another service (as in Flagger).
    ...(type === 'slack' && fromSecret.token && { token: fromSecret.token }),
    username: fromSecret.username || spec.username,
    channel: fromSecret.channel || spec.channel,
  };
}

/** Reads the AlertProvider of a route and its Secret (off the reconcile path, so a GET is fine). */
export async function readProviderDestination(
  access: KubeAccess,
  route: Extract<AlertRoute, { kind: 'provider' }>,
): Promise<AlertDestination> {
  const name = `${route.namespace}/${route.name}`;
  const provider = await access.get(alertProviders, { namespace: route.namespace, name: route.name });
  if (!provider) throw new AlertProviderProblem(`AlertProvider ${name} not found`);
  const secretName = provider.spec?.secretRef?.name;
  if (!secretName) return providerDestination(provider);
  const secret = await access.get(clusterTypes.secret, { namespace: route.namespace, name: secretName });
  if (!secret)
    throw new AlertProviderProblem(`AlertProvider ${name}: Secret ${route.namespace}/${secretName} not found`);
  return providerDestination(provider, secret);
}

export type GlobalAlertFlags = Pick<
  ControllerOptions,
  'slackUrl' | 'slackToken' | 'slackProxyUrl' | 'slackUser' | 'slackChannel' | 'msteamsUrl' | 'msteamsProxyUrl'
>;

/** Flagger's global notifier: MS Teams when -msteams-url is set, else Slack when -slack-url is set. */
export function globalAlertDestination(flags: GlobalAlertFlags): AlertDestination | undefined {
  if (flags.msteamsUrl) {
    return {
      provider: 'flags/msteams',
      type: 'msteams',
      url: flags.msteamsUrl,
      ...(flags.msteamsProxyUrl && { proxy: flags.msteamsProxyUrl }),
      username: flags.slackUser,
      channel: flags.slackChannel,
    };
  }
  if (!flags.slackUrl) return undefined;
  return {
    provider: 'flags/slack',
    type: 'slack',
    url: flags.slackUrl,
    ...(flags.slackProxyUrl && { proxy: flags.slackProxyUrl }),
    ...(flags.slackToken && { token: flags.slackToken }),
    username: flags.slackUser,
    channel: flags.slackChannel,
  };
}

function secretValues(secret: SecretResource | undefined): Partial<Record<SecretKey, string>> {
  const values: Partial<Record<SecretKey, string>> = {};
  for (const key of SECRET_KEYS) {
    const encoded = secret?.data?.[key];
    // Trimmed: `echo … | base64` leaves a newline at the end of many a hand-made Secret.
    if (encoded !== undefined) values[key] = Buffer.from(encoded, 'base64').toString('utf8').trim();
  }
  return values;
}

const TYPES: readonly AlertProviderType[] = ['slack', 'msteams', 'discord', 'rocket', 'gchat'];

function requireType(name: string, type: string): AlertProviderType {
  const known = TYPES.find((candidate) => candidate === type);
  if (!known) throw new AlertProviderProblem(`AlertProvider ${name} has unknown type "${type}" (${TYPES.join(', ')})`);
  return known;
}

function requireHttpUrl(name: string, what: 'address' | 'proxy', value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // Described below, without the value (it may hold a token).
  }
  throw new AlertProviderProblem(`AlertProvider ${name}: ${what} is not an absolute http(s) URL`);
}
