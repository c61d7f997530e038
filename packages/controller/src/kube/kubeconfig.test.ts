import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCredentials } from './kubeconfig.ts';

function kubeconfig(user: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'linnet-kubeconfig-'));
  writeFileSync(join(dir, 'token'), 'from-file\n');
  const path = join(dir, 'config');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: here',
      'contexts: [{ name: here, context: { cluster: c, user: u } }]',
      `clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: "${Buffer.from('ca').toString('base64')}" } }]`,
      `users: [{ name: u, user: ${JSON.stringify(user)} }]`,
    ].join('\n'),
  );
  return path;
}

describe('resolveCredentials', () => {
  it('reads the server, CA and client certificate of the current context', async () => {
    const path = kubeconfig({
      'client-certificate-data': Buffer.from('cert').toString('base64'),
      'client-key-data': Buffer.from('key').toString('base64'),
    });
    const source = await resolveCredentials(path, {});
    expect(source.kind).toBe('endpoint');
    if (source.kind !== 'endpoint') return;
    expect(source.endpoint.server).toBe('https://127.0.0.1:6443');
    expect(source.endpoint.ca?.toString()).toBe('ca');
    expect(source.endpoint.cert?.toString()).toBe('cert');
    expect(source.endpoint.key?.toString()).toBe('key');
    expect(source.endpoint.token).toBeUndefined();
  });

  it('reads a token file relative to the kubeconfig', async () => {
    const source = await resolveCredentials(kubeconfig({ tokenFile: 'token' }), {});
    expect(source.kind === 'endpoint' && source.endpoint.token?.()).toBe('from-file');
  });

  it('leaves exec plugins and merged kubeconfig lists to client-node', async () => {
    const exec = await resolveCredentials(kubeconfig({ exec: { command: 'aws' } }), {});
    expect(exec).toMatchObject({ kind: 'client-node', why: 'user.exec' });
    expect(await resolveCredentials(undefined, { KUBECONFIG: '/a:/b' })).toMatchObject({ kind: 'client-node' });
  });

  it('explains when there is neither a kubeconfig nor a cluster to run in', async () => {
    await expect(resolveCredentials(undefined, { HOME: '/nonexistent' })).rejects.toMatchObject({
      reason: 'InvalidKubeconfig',
    });
  });
});
