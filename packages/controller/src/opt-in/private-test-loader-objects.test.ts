import { describe, expect, it } from '@jest/globals';
import {
  testLoaderDeployment,
  testLoaderService,
  testLoaderTokenSecret,
  type PrivateTestLoaderRequest,
} from './private-test-loader-objects.ts';

const request: PrivateTestLoaderRequest = {
  loader: { name: 'backend-testloader', namespace: 'webapp', url: 'http://backend-testloader.webapp:8080/' },
  workload: 'backend',
  canary: { name: 'backend', uid: 'uid-canary' },
  image: 'ghcr.io/linnet/testloader:0.1.0',
};
const owner = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  name: 'backend',
  uid: 'uid-canary',
  controller: true,
  blockOwnerDeletion: true,
};

describe('private test loader objects', () => {
  it('are all owned by the generated Canary and labelled with the workload they serve', () => {
    for (const object of [
      testLoaderDeployment(request, 'secret-token'),
      testLoaderService(request),
      testLoaderTokenSecret(request, 'secret-token'),
    ]) {
      expect(object.metadata?.namespace).toBe('webapp');
      expect(object.metadata?.ownerReferences).toEqual([owner]);
      expect(object.metadata?.labels).toMatchObject({ 'linnet.dev/test-loader-for': 'backend' });
    }
  });

  it('run the test loader with shell tasks off, the token from the Secret, and only the workload namespace', () => {
    const deployment = testLoaderDeployment(request, 'secret-token');
    const pod = deployment.spec?.template.spec;
    const container = pod?.containers[0];
    expect(deployment.metadata?.name).toBe('backend-testloader');
    expect(container?.image).toBe('ghcr.io/linnet/testloader:0.1.0');
    expect(container?.args).toEqual([
      '--port=8080',
      '--token-file=/var/run/linnet/testloader/token',
      '--unauthenticated-healthz',
      '--namespace-regexp=^webapp$',
      '--log-level=info',
    ]);
    expect(container?.args?.some((arg) => arg.includes('shell'))).toBe(false);
    expect(pod?.volumes?.[0]).toMatchObject({ secret: { secretName: 'backend-testloader-token' } });
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(container?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // The token itself is only in the Secret; a new token changes the pod template (the pods read it at start).
    expect(JSON.stringify(deployment)).not.toContain('secret-token');
    expect(testLoaderDeployment(request, 'other-token').spec?.template.metadata?.annotations).not.toEqual(
      deployment.spec?.template.metadata?.annotations,
    );
  });

  it('serve port 8080 under the name the Canary webhooks call, with the token under the key "token"', () => {
    const service = testLoaderService(request);
    expect(service.metadata?.name).toBe('backend-testloader');
    expect(service.spec?.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec?.selector).toEqual(testLoaderDeployment(request, 't').spec?.selector.matchLabels);
    const secret = testLoaderTokenSecret(request, 'secret-token');
    expect(secret.metadata?.name).toBe('backend-testloader-token');
    expect(Buffer.from(secret.data?.token ?? '', 'base64').toString()).toBe('secret-token');
  });
});
