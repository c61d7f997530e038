import { testLoaderName, testLoaderUrl } from '@linnet/api';
import { controllerOf } from '../kube/owner-reference.ts';
import type { WebhookClient } from '../webhooks/webhook-types.ts';
import {
  TEST_LOADER_FOR_LABEL,
  testLoaderTokenSecretName,
  type TestLoaderSecret,
} from './private-test-loader-objects.ts';
import { tokenOf } from './private-test-loader-writer.ts';

/** Reads a Secret with its data (the controller's Secret cache holds metadata only). */
export interface SecretLookup {
  get(namespace: string, name: string): Promise<TestLoaderSecret | undefined>;
}

/**
 * A webhook client that sends a Canary's private test loader its bearer token. Flagger's webhook spec has no header
 * field, so the token cannot be in the Canary: a call to http://<canary>-testloader.<namespace>:8080/ gets the token
 * of the Secret the opt-in generated for that test loader — only a Secret owned by the Canary of that name, so a
 * hand-made Secret of that name sends nothing anywhere. Other calls pass through unchanged.
 */
export function withPrivateTestLoaderTokens(client: WebhookClient, secrets: SecretLookup): WebhookClient {
  return {
    async call(request) {
      const { name, namespace } = request.canary;
      if (request.webhook.url !== testLoaderUrl(name, namespace)) return client.call(request);
      const secret = await secrets.get(namespace, testLoaderTokenSecretName(testLoaderName(name)));
      const owner = secret && controllerOf(secret);
      const generated =
        owner?.kind === 'Canary' && owner.name === name && secret?.metadata?.labels?.[TEST_LOADER_FOR_LABEL] === name;
      const bearerToken = generated ? tokenOf(secret) : undefined;
      return client.call(bearerToken === undefined ? request : { ...request, bearerToken });
    },
    sendEvent: (request) => client.sendEvent(request),
  };
}
