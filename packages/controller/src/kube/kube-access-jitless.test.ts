// Under --jitless (the deployed NODE_OPTIONS) WebAssembly is gone, and with it client-node's fetch: a kubeconfig only
// client-node understands must fail with a reason that says so, not with fetch's "WebAssembly is not defined".
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeAccess, resourceTypes } from './index.ts';

const webAssembly: unknown = Reflect.get(globalThis, 'WebAssembly');

afterEach(() => {
  Reflect.set(globalThis, 'WebAssembly', webAssembly);
});

function execKubeconfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'linnet-kubeconfig-')), 'config');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: here',
      'contexts: [{ name: here, context: { cluster: c, user: u } }]',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
      'users: [{ name: u, user: { exec: { command: aws, apiVersion: client.authentication.k8s.io/v1 } } }]',
    ].join('\n'),
  );
  return path;
}

describe('createKubeAccess without WebAssembly', () => {
  it('refuses an exec-plugin kubeconfig with a reason naming --jitless', async () => {
    Reflect.deleteProperty(globalThis, 'WebAssembly');
    const path = execKubeconfig();
    const access = createKubeAccess({ kubeconfig: path });
    await expect(access.get(resourceTypes.namespace, { name: 'default' })).rejects.toMatchObject({
      reason: 'InvalidKubeconfig',
      message: `kubeconfig ${path}: user.exec needs client-node, which needs WebAssembly; remove --jitless from NODE_OPTIONS`,
    });
  });
});
