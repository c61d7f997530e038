import { randomBytes } from 'node:crypto';
import type { KubeAccess } from '../kube/kube-access.ts';
import { defineResourceType, resourceTypes } from '../kube/resource-type.ts';
import {
  TEST_LOADER_TOKEN_KEY,
  testLoaderDeployment,
  testLoaderService,
  testLoaderTokenSecret,
  testLoaderTokenSecretName,
  type PrivateTestLoaderRequest,
  type TestLoaderDeployment,
  type TestLoaderSecret,
  type TestLoaderService,
} from './private-test-loader-objects.ts';

const secrets = defineResourceType<TestLoaderSecret>(resourceTypes.secret);
const deployments = defineResourceType<TestLoaderDeployment>(resourceTypes.deployment);
const services = defineResourceType<TestLoaderService>(resourceTypes.service);

/** Creates and keeps the private test loaders of opted-in workloads. */
export interface PrivateTestLoaderWriter {
  /** Creates or updates the token Secret, Deployment and Service (server-side apply); keeps an existing token. */
  ensure(request: PrivateTestLoaderRequest): Promise<void>;
}

export interface KubePrivateTestLoaderWriterOptions {
  access: KubeAccess;
  fieldManager: string;
  /** A new token; default 32 random bytes as hex. */
  newToken?: () => string;
}

/** The token an existing Secret holds, if it holds one. */
export function tokenOf(secret: TestLoaderSecret | undefined): string | undefined {
  const encoded = secret?.data?.[TEST_LOADER_TOKEN_KEY];
  const token = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8').trim();
  return token === '' ? undefined : token;
}

export function kubePrivateTestLoaderWriter(options: KubePrivateTestLoaderWriterOptions): PrivateTestLoaderWriter {
  const { access, fieldManager } = options;
  const newToken = options.newToken ?? (() => randomBytes(32).toString('hex'));
  const apply = { fieldManager, force: true };
  return {
    async ensure(request) {
      const { namespace, name } = request.loader;
      // Read, not cached: the token must survive a controller restart, and the Secret is read once per change.
      const existing = await access.get(secrets, { namespace, name: testLoaderTokenSecretName(name) });
      const token = tokenOf(existing) ?? newToken();
      // The Secret first: the Deployment mounts it.
      await access.apply(secrets, testLoaderTokenSecret(request, token), apply);
      await access.apply(deployments, testLoaderDeployment(request, token), apply);
      await access.apply(services, testLoaderService(request), apply);
    },
  };
}
