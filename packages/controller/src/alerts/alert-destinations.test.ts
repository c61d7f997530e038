import { describe, expect, it } from '@jest/globals';
import type { SecretResource } from '../reconcile/cluster-types.ts';
import {
  AlertProviderProblem,
  globalAlertDestination,
  providerDestination,
  type AlertProviderResource,
} from './alert-destinations.ts';

const provider = (spec: AlertProviderResource['spec']): AlertProviderResource => ({
  metadata: { name: 'chat', namespace: 'ops' },
  spec,
});
const secret = (data: Record<string, string>): SecretResource => ({
  metadata: { name: 'chat-url', namespace: 'ops' },
  data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
});

function problemOf(run: () => unknown): AlertProviderProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof AlertProviderProblem) return error;
    throw error;
  }
  throw new Error('expected an AlertProviderProblem');
}

describe('providerDestination', () => {
  it("takes the address, proxy, channel and username from the spec, with Flagger's defaults", () => {
    expect(
      providerDestination(
        provider({ type: 'rocket', address: 'https://chat.example/hooks/1', proxy: 'http://proxy:3128' }),
      ),
    ).toEqual({
      provider: 'ops/chat',
      type: 'rocket',
      url: 'https://chat.example/hooks/1',
      proxy: 'http://proxy:3128',
      username: 'flagger',
      channel: 'general',
    });
  });

  it('lets the Secret keys address, proxy, token, username and channel win over the spec', () => {
    const spec = {
      type: 'slack' as const,
      address: 'https://spec.example/',
      channel: 'spec',
      secretRef: { name: 'chat-url' },
    };
    const values = {
      address: 'https://hooks.slack.com/services/secret\n',
      proxy: 'http://proxy:3128',
      token: 'xoxb-1',
      username: 'linnet',
      channel: 'deploys',
    };
    expect(providerDestination(provider(spec), secret(values))).toEqual({
      provider: 'ops/chat',
      type: 'slack',
      url: 'https://hooks.slack.com/services/secret',
      proxy: 'http://proxy:3128',
      token: 'xoxb-1',
      username: 'linnet',
      channel: 'deploys',
    });
  });

  it('sends the token to Slack only', () => {
    const spec = { type: 'msteams' as const, secretRef: { name: 'chat-url' } };
    const destination = providerDestination(provider(spec), secret({ address: 'https://teams.example/x', token: 't' }));
    expect(destination.token).toBeUndefined();
  });

  it('explains an unusable provider without quoting its address', () => {
    const withSecret = provider({ type: 'slack', secretRef: { name: 'chat-url' } });
    expect(problemOf(() => providerDestination(withSecret, secret({ token: 't' }))).message).toBe(
      'AlertProvider ops/chat: Secret chat-url has no key "address"',
    );
    expect(problemOf(() => providerDestination(provider({ type: 'slack' }))).message).toBe(
      'AlertProvider ops/chat has neither address nor secretRef',
    );
    const bad = problemOf(() => providerDestination(provider({ type: 'msteams', address: 'teams/secret-path' })));
    expect(bad.message).toBe('AlertProvider ops/chat: address is not an absolute http(s) URL');
    expect(bad.reason).toBe('AlertProviderInvalid');
  });
});

describe('globalAlertDestination', () => {
  const flags = {
    slackUrl: '',
    slackToken: '',
    slackProxyUrl: '',
    slackUser: 'flagger',
    slackChannel: 'ops',
    msteamsUrl: '',
    msteamsProxyUrl: '',
  };

  it('is Slack when -slack-url is set, MS Teams when -msteams-url is set (which wins), else none', () => {
    expect(globalAlertDestination(flags)).toBeUndefined();
    expect(
      globalAlertDestination({
        ...flags,
        slackUrl: 'https://s.example/',
        slackToken: 't',
        slackProxyUrl: 'http://p:1',
      }),
    ).toEqual({
      provider: 'flags/slack',
      type: 'slack',
      url: 'https://s.example/',
      token: 't',
      proxy: 'http://p:1',
      username: 'flagger',
      channel: 'ops',
    });
    expect(
      globalAlertDestination({
        ...flags,
        slackUrl: 'https://s.example/',
        msteamsUrl: 'https://t.example/',
        msteamsProxyUrl: 'http://p:2',
      }),
    ).toMatchObject({ provider: 'flags/msteams', type: 'msteams', url: 'https://t.example/', proxy: 'http://p:2' });
  });
});
