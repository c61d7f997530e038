import { createHash } from 'node:crypto';
import type { V1Deployment, V1Secret, V1Service } from '@kubernetes/client-node';
import { GROUP_VERSION, TEST_LOADER_PORT, type PrivateTestLoader } from '@linnet/api';
import type { KubeObject } from '../kube/kube-object.ts';
import { controllerReferenceTo } from '../kube/owner-reference.ts';

/**
 * Label on the test loader's Deployment, Service and Secret naming the workload they serve, so that a change to
 * them (a hand deletion) brings that workload's opt-in back to put them back.
 */
export const TEST_LOADER_FOR_LABEL = 'linnet.dev/test-loader-for';
/** Key of the token in the test loader's Secret (the contract in docs/testloader.md "Tokens"). */
export const TEST_LOADER_TOKEN_KEY = 'token';
const TOKEN_MOUNT = '/var/run/linnet/testloader';
/** Changes with the token, so that a new token restarts the test loader's pods (they read the file at start). */
const TOKEN_CHECKSUM_ANNOTATION = 'linnet.dev/token-checksum';

export type TestLoaderDeployment = V1Deployment & KubeObject;
export type TestLoaderService = V1Service & KubeObject;
export type TestLoaderSecret = V1Secret & KubeObject;

export interface PrivateTestLoaderRequest {
  /** Name and namespace of the Deployment and Service, from the opt-in (`<workload>-testloader`). */
  loader: PrivateTestLoader;
  /** The workload whose load tests it serves. */
  workload: string;
  /** The generated Canary, which owns everything here (opting out deletes it, and garbage collection the rest). */
  canary: { name: string; uid: string };
  /** The test loader's image (the controller's -test-loader-image). */
  image: string;
}

/** Name of the Secret holding a private test loader's bearer token. */
export function testLoaderTokenSecretName(loaderName: string): string {
  return `${loaderName}-token`;
}

/** The labels that select the test loader's pods. */
function podSelector(loader: PrivateTestLoader): Record<string, string> {
  return { 'app.kubernetes.io/name': 'testloader', 'app.kubernetes.io/instance': loader.name };
}

function metadataFor(request: PrivateTestLoaderRequest, name: string): TestLoaderDeployment['metadata'] & object {
  const { loader, workload, canary } = request;
  return {
    name,
    namespace: loader.namespace,
    labels: {
      ...podSelector(loader),
      'app.kubernetes.io/part-of': 'linnet',
      'app.kubernetes.io/managed-by': 'linnet',
      [TEST_LOADER_FOR_LABEL]: workload,
    },
    ownerReferences: [
      controllerReferenceTo({
        apiVersion: GROUP_VERSION,
        kind: 'Canary',
        metadata: { name: canary.name, uid: canary.uid },
      }),
    ],
  };
}

/** The Secret with the token the test loader requires and the controller sends on that test loader's webhooks. */
export function testLoaderTokenSecret(request: PrivateTestLoaderRequest, token: string): TestLoaderSecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadataFor(request, testLoaderTokenSecretName(request.loader.name)),
    type: 'Opaque',
    data: { [TEST_LOADER_TOKEN_KEY]: Buffer.from(token).toString('base64') },
  };
}

/**
 * The test loader Kurator deploys for `testLoader: true`, locked down: one replica (gates live in the process),
 * shell tasks off, every request but /healthz needs the token, only the workload's namespace is served, non-root
 * with a read-only root filesystem and no Kubernetes API token.
 */
export function testLoaderDeployment(request: PrivateTestLoaderRequest, token: string): TestLoaderDeployment {
  const { loader, image } = request;
  const podLabels = podSelector(loader);
  const tokenChecksum = createHash('sha256').update(token).digest('hex').slice(0, 16);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadataFor(request, loader.name),
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: podLabels },
      template: {
        metadata: {
          labels: { ...podLabels, 'app.kubernetes.io/part-of': 'linnet' },
          annotations: { [TOKEN_CHECKSUM_ANNOTATION]: tokenChecksum },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            fsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'testloader',
              image,
              args: [
                `--port=${TEST_LOADER_PORT}`,
                `--token-file=${TOKEN_MOUNT}/${TEST_LOADER_TOKEN_KEY}`,
                '--unauthenticated-healthz',
                `--namespace-regexp=^${loader.namespace}$`,
                '--log-level=info',
              ],
              ports: [{ name: 'http', containerPort: TEST_LOADER_PORT, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2 },
              resources: {
                requests: { cpu: '100m', memory: '96Mi' },
                limits: { cpu: '1', memory: '256Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'token', mountPath: TOKEN_MOUNT, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'token', secret: { secretName: testLoaderTokenSecretName(loader.name), defaultMode: 0o440 } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
}

/** The Service the load-test webhooks call: http://<workload>-testloader.<namespace>:8080/. */
export function testLoaderService(request: PrivateTestLoaderRequest): TestLoaderService {
  const { loader } = request;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadataFor(request, loader.name),
    spec: {
      type: 'ClusterIP',
      selector: podSelector(loader),
      ports: [{ name: 'http', port: TEST_LOADER_PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
