// Every object the install manifests create, sent to the real API server as a server-side dry-run apply (strict
// field validation): the kustomize base as `kubectl kustomize` renders it, and the Helm chart as `helm template`
// renders it, cluster-wide and namespace-scoped. Parsing the YAML (install-manifests.itest.ts) cannot catch an
// unknown field, a wrong type or a schema violation; the API server does. Nothing is persisted; each render is moved
// into a namespace of this suite so that its namespaced objects have a namespace to live in.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { binaryPaths } from '@linnet/testenv';
import { parseAllDocuments } from 'yaml';
import { DEPLOY_DIR } from './e2e/support/install-manifests.ts';

const namespace = `itest-install-dry-${process.pid}-${Date.now().toString(36)}`;
const CHART_DIR = join(DEPLOY_DIR, 'charts', 'linnet');
const { kubectl, helm } = binaryPaths();
let workDir: string;

function run(binary: string, args: readonly string[], input?: string): string {
  const result = spawnSync(binary, args, { encoding: 'utf8', input, timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** `kubectl apply --server-side --dry-run=server`: the lines kubectl prints, one per object. */
function dryRunApply(manifests: string): string[] {
  return run(
    kubectl,
    ['apply', '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=linnet-dry-run', '-f', '-'],
    manifests,
  )
    .trim()
    .split('\n');
}

const kindsAndNames = (manifests: string): string[] =>
  parseAllDocuments(manifests)
    .map((document) => document.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .filter((object) => object?.kind !== undefined)
    .map((object) => `${object?.kind} ${object?.metadata?.name}`);

beforeAll(() => {
  run(kubectl, ['create', 'namespace', namespace]);
  workDir = mkdtempSync(join(tmpdir(), 'linnet-dry-run-'));
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  spawnSync(kubectl, ['delete', 'namespace', namespace, '--wait=false'], { encoding: 'utf8' });
});

describe('install manifests, dry-run on the API server', () => {
  it('accepts every object of the kustomize base (deploy/)', () => {
    // kustomize's own namespace transformer moves the base into this suite's namespace.
    writeFileSync(
      join(workDir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\n` +
        `resources:\n  - ${relative(workDir, DEPLOY_DIR)}\n`,
    );
    const manifests = run(kubectl, ['kustomize', workDir]);
    const objects = kindsAndNames(manifests);
    expect(objects).toEqual(
      expect.arrayContaining(['Deployment linnet', 'ClusterRole linnet', `Namespace ${namespace}`]),
    );
    const applied = dryRunApply(manifests);
    expect(applied).toHaveLength(objects.length);
    for (const line of applied) expect(line).toMatch(/ serverside-applied \(server dry run\)$/);
  });

  it('accepts every object of the namespaced install (deploy/namespaced/) in the namespace it watches', () => {
    const overlay = join(workDir, 'namespaced');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\n` +
        `resources:\n  - ${relative(overlay, join(DEPLOY_DIR, 'namespaced'))}\n`,
    );
    const manifests = run(kubectl, ['kustomize', overlay]);
    const objects = kindsAndNames(manifests);
    expect(objects).toEqual(expect.arrayContaining(['Deployment linnet', 'Role linnet', 'RoleBinding linnet']));
    expect(objects.filter((object) => object.startsWith('Cluster'))).toEqual([]);
    const applied = dryRunApply(manifests);
    expect(applied).toHaveLength(objects.length);
    for (const line of applied) expect(line).toMatch(/ serverside-applied \(server dry run\)$/);
  });

  it('accepts every object helm template renders, cluster-wide with the CRDs and namespace-scoped', () => {
    const kubeVersion = ['--kube-version', '1.36.0'];
    run(helm, ['lint', '--strict', CHART_DIR, ...kubeVersion]);
    for (const extra of [['--include-crds'], ['--set', `watchNamespace=${namespace}`]]) {
      const manifests = run(helm, [
        'template',
        'linnet',
        CHART_DIR,
        '--namespace',
        namespace,
        ...kubeVersion,
        ...extra,
      ]);
      const objects = kindsAndNames(manifests);
      expect(objects).toEqual(expect.arrayContaining(['Deployment linnet', 'Deployment linnet-testloader']));
      const applied = dryRunApply(manifests);
      expect(applied).toHaveLength(objects.length);
      for (const line of applied) expect(line).toMatch(/ serverside-applied \(server dry run\)$/);
    }
  });

  it('is refused by the API server when an object has a field its schema does not know', () => {
    const broken = execFileSync(
      helm,
      ['template', 'linnet', CHART_DIR, '--namespace', namespace, '--kube-version', '1.36.0'],
      {
        encoding: 'utf8',
      },
    ).replace('  replicas: 1\n', '  replicas: 1\n  replicaz: 2\n');
    expect(() => dryRunApply(broken)).toThrow(/Deployment\): \.spec\.replicaz: field not declared in schema/);
  });
});
