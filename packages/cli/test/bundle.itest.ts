// The bundled `linnet` (npm run bundle:cli) as a user installs it: linked from a directory on the PATH, run by the
// oldest Node it supports (a Node 20-23 on this machine's PATH, else the current one), and as a kubectl plugin
// with the kubectl testenv builds.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { binaryPaths } from '@linnet/testenv';
import { ClusterClient } from '../src/cluster/cluster-client.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const namespace = `itest-cli-bundle-${process.pid}-${Date.now().toString(36)}`;
let binDir: string;
let nodeVersion: string;

/** The first `node` on the PATH older than 24 (the pinned one), for the oldest-supported-Node check. */
function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    const major = Number(/^v(\d+)\./.exec(version ?? '')?.[1]);
    if (major >= 20 && major < 24) return candidate;
  }
  return undefined;
}

function run(command: string, args: readonly string[]) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { PATH: [binDir, '/usr/bin', '/bin'].join(delimiter), KUBECONFIG: process.env.KUBECONFIG ?? '' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(packageDir, 'scripts', 'bundle.ts')], { stdio: 'pipe' });
  binDir = mkdtempSync(join(tmpdir(), 'linnet-bundle-'));
  const bundle = join(packageDir, 'build', 'linnet.mjs');
  symlinkSync(bundle, join(binDir, 'linnet'));
  symlinkSync(bundle, join(binDir, 'kubectl-linnet'));
  const node = olderNode() ?? process.execPath;
  symlinkSync(node, join(binDir, 'node'));
  symlinkSync(binaryPaths().kubectl, join(binDir, 'kubectl'));
  nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  process.stdout.write(`bundle.itest: the bundled CLI runs on ${nodeVersion} (${dirname(node)})\n`);
  const client = ClusterClient.connect();
  await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
  await client.request('POST', `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries`, {
    body: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'backend' },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
        service: { port: 9898 },
        analysis: { interval: '1m', threshold: 2, maxWeight: 50, stepWeight: 10 },
      },
    },
  });
});

afterAll(async () => {
  if (binDir) rmSync(binDir, { recursive: true, force: true });
  await ClusterClient.connect()
    .request('DELETE', `/api/v1/namespaces/${namespace}`)
    .catch(() => undefined);
});

describe('the bundled linnet', () => {
  it('prints its version and per-command help without a cluster', () => {
    expect(run('linnet', ['--version'])).toMatchObject({ code: 0, stdout: 'linnet 0.1.0\n' });
    expect(run('linnet', ['get', '--help']).stdout).toMatch(/^Usage: linnet get canaries/);
    expect(run('linnet', ['help', 'watch']).stdout).toMatch(/step n\/m/);
    expect(run('linnet', ['--help']).stdout).toMatch(/"linnet <command> --help"/);
    expect(run('linnet', ['frobnicate', '--help'])).toMatchObject({ code: 3 });
  });

  it('reads canaries from the cluster, also as `kubectl linnet`', () => {
    const direct = run('linnet', ['get', 'canaries', '-n', namespace]);
    expect(direct.stderr).toBe('');
    expect(direct.stdout).toMatch(/^NAME\s+STATUS\s+WEIGHT\s+LASTTRANSITIONTIME\nbackend\s*\n$/);
    const plugin = run('kubectl', ['linnet', 'describe', 'canary', 'backend', '-n', namespace]);
    expect(plugin.stderr).toBe('');
    expect(plugin.stdout).toMatch(/^Target:\s+Deployment\/backend$/m);
    expect(plugin.stdout).toMatch(/^ {2}Primary:\s+-$/m);
  });
});
