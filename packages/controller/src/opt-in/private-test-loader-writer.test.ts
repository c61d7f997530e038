import { describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../kube/kube-access.ts';
import type { KubeObject } from '../kube/kube-object.ts';
import type { PrivateTestLoaderRequest, TestLoaderSecret } from './private-test-loader-objects.ts';
import { kubePrivateTestLoaderWriter, tokenOf } from './private-test-loader-writer.ts';

const request: PrivateTestLoaderRequest = {
  loader: { name: 'backend-testloader', namespace: 'webapp', url: 'http://backend-testloader.webapp:8080/' },
  workload: 'backend',
  canary: { name: 'backend', uid: 'uid-canary' },
  image: 'testloader',
};

/** The two calls the writer makes, over an in-memory store keyed by kind/name. */
function fakeAccess(): { access: KubeAccess; applied: Array<{ kind?: string; name?: string; manager?: string }> } {
  const objects = new Map<string, KubeObject>();
  const applied: Array<{ kind?: string; name?: string; manager?: string }> = [];
  const access = {
    get: async (type: { kind: string }, locator: { name: string }) => objects.get(`${type.kind}/${locator.name}`),
    apply: async (type: { kind: string }, object: KubeObject, options?: { fieldManager?: string }) => {
      applied.push({ kind: type.kind, name: object.metadata?.name, manager: options?.fieldManager });
      objects.set(`${type.kind}/${object.metadata?.name}`, object);
      return object;
    },
  } as unknown as KubeAccess;
  return { access, applied };
}

describe('kubePrivateTestLoaderWriter', () => {
  it('applies the Secret, then the Deployment and Service, and keeps the token it generated first', async () => {
    const { access, applied } = fakeAccess();
    let tokens = 0;
    const writer = kubePrivateTestLoaderWriter({
      access,
      fieldManager: 'linnet-opt-in',
      newToken: () => `t${++tokens}`,
    });
    await writer.ensure(request);
    await writer.ensure(request);
    expect(applied.slice(0, 3)).toEqual([
      { kind: 'Secret', name: 'backend-testloader-token', manager: 'linnet-opt-in' },
      { kind: 'Deployment', name: 'backend-testloader', manager: 'linnet-opt-in' },
      { kind: 'Service', name: 'backend-testloader', manager: 'linnet-opt-in' },
    ]);
    expect(tokens).toBe(1);
    const secret = (await access.get({ kind: 'Secret' } as never, {
      name: 'backend-testloader-token',
    })) as TestLoaderSecret;
    expect(tokenOf(secret)).toBe('t1');
  });

  it('reads no token from an empty or missing Secret', () => {
    expect(tokenOf(undefined)).toBeUndefined();
    expect(tokenOf({ data: { token: '' } })).toBeUndefined();
  });
});
