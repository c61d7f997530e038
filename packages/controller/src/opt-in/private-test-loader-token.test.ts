import { describe, expect, it } from '@jest/globals';
import type { WebhookCallRequest, WebhookClient, WebhookResult } from '../webhooks/webhook-types.ts';
import { testLoaderTokenSecret, type TestLoaderSecret } from './private-test-loader-objects.ts';
import { withPrivateTestLoaderTokens } from './private-test-loader-token.ts';

function recordingClient(): { client: WebhookClient; calls: WebhookCallRequest[] } {
  const calls: WebhookCallRequest[] = [];
  const result = { succeeded: true } as WebhookResult;
  return {
    calls,
    client: {
      call: async (request) => {
        calls.push(request);
        return result;
      },
      sendEvent: async () => result,
    },
  };
}

const generatedSecret = testLoaderTokenSecret(
  {
    loader: { name: 'backend-testloader', namespace: 'webapp', url: 'http://backend-testloader.webapp:8080/' },
    workload: 'backend',
    canary: { name: 'backend', uid: 'uid-canary' },
    image: 'testloader',
  },
  'the-token',
);

function lookup(secret: TestLoaderSecret | undefined) {
  return {
    get: async (namespace: string, name: string) => (secret?.metadata?.name === name ? secret : undefined),
  };
}

function request(url: string): WebhookCallRequest {
  return {
    webhook: { name: 'load-test', url, type: 'rollout' },
    canary: { name: 'backend', namespace: 'webapp' },
    phase: 'Progressing',
    checksum: 'c',
  };
}

describe('withPrivateTestLoaderTokens', () => {
  it("sends the generated Secret's token to the Canary's own test loader only", async () => {
    const { client, calls } = recordingClient();
    const withTokens = withPrivateTestLoaderTokens(client, lookup(generatedSecret));
    await withTokens.call(request('http://backend-testloader.webapp:8080/'));
    await withTokens.call(request('http://other-loader.webapp:8080/'));
    expect(calls.map((call) => call.bearerToken)).toEqual(['the-token', undefined]);
  });

  it('sends nothing from a Secret of that name the opt-in did not generate', async () => {
    const { client, calls } = recordingClient();
    const handMade: TestLoaderSecret = { ...generatedSecret, metadata: { ...generatedSecret.metadata } };
    delete handMade.metadata?.ownerReferences;
    await withPrivateTestLoaderTokens(client, lookup(handMade)).call(request('http://backend-testloader.webapp:8080/'));
    await withPrivateTestLoaderTokens(client, lookup(undefined)).call(
      request('http://backend-testloader.webapp:8080/'),
    );
    expect(calls.map((call) => call.bearerToken)).toEqual([undefined, undefined]);
  });
});
