// The install manifests without a cluster: the kustomize base (deploy/) renders, grants no wildcard and covers every
// resource type the controller addresses; the namespaced install (deploy/namespaced/) grants the same rules as a Role
// in the controller's own namespace and no cluster-wide rule; the Helm chart (deploy/charts/linnet) parses after a
// naive rendering and grants exactly the base's rules; `helm lint` and `helm template` with the helm testenv builds
// (or $LINNET_HELM, or one on the PATH).
// That the rules are enough is proven on the cluster by test/e2e/install.e2e.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { OPT_IN_POLICY_FLAGS } from '@linnet/api';
import { binaryPaths } from '@linnet/testenv';
import { parse, parseAllDocuments } from 'yaml';
import { resourceName, resourceTypes, type ResourceType } from '../src/kube/index.ts';
import {
  DEPLOY_DIR,
  findObject,
  renderKustomization,
  rulesOf,
  wildcardGrants,
  type ManifestObject,
  type PolicyRule,
} from './e2e/support/install-manifests.ts';

const CHART_DIR = join(DEPLOY_DIR, 'charts', 'linnet');
const CONTROLLER_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const base = renderKustomization(DEPLOY_DIR, { skip: ['testloader/shared'] });
const namespaced = renderKustomization(join(DEPLOY_DIR, 'namespaced'));

function containerArgs(deployment: ManifestObject): string[] | undefined {
  return (deployment as { spec?: { template?: { spec?: { containers?: { args?: string[] }[] } } } }).spec?.template
    ?.spec?.containers?.[0]?.args;
}

/** The verbs `rules` grant on `resource` of `group` (any resourceNames restriction ignored). */
function verbsOn(rules: readonly PolicyRule[], group: string, resource: string): string[] {
  const verbs = rules
    .filter((rule) => rule.apiGroups?.includes(group) && rule.resources?.includes(resource))
    .flatMap((rule) => rule.verbs);
  return [...new Set(verbs)].sort();
}

/** What a Helm template looks like with every action replaced: `{{ x }}` → "x", action-only lines dropped. */
function naiveRender(template: string): string {
  return template
    .replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '')
    .split('\n')
    .filter((line) => !/^\s*(\{\{[^}]*\}\}\s*)+$/.test(line))
    .map((line) => line.replace(/\{\{[^}]*\}\}/g, 'x'))
    .join('\n');
}

function parseDocuments(text: string, file: string): ManifestObject[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    const object = document.toJS() as ManifestObject | null;
    return object === null ? [] : [object];
  });
}

/** The chart's templates after a naive rendering, by file. */
function naiveChart(): Map<string, ManifestObject[]> {
  const templates = join(CHART_DIR, 'templates');
  return new Map(
    readdirSync(templates)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => [file, parseDocuments(naiveRender(readFileSync(join(templates, file), 'utf8')), file)]),
  );
}

/** The rules of the chart's `linnet.rules` template (static YAML inside a define). */
function chartRules(): PolicyRule[] {
  const helpers = readFileSync(join(CHART_DIR, 'templates', '_rbac-rules.tpl'), 'utf8');
  const body = /\{\{-?\s*define "linnet\.rules"\s*-?\}\}([\s\S]*?)\{\{-?\s*end\s*-?\}\}/.exec(helpers)?.[1];
  if (body === undefined) throw new Error('templates/_rbac-rules.tpl defines no "linnet.rules"');
  return parse(body) as PolicyRule[];
}

/** `program` as testenv builds it (~/.cache/linnet/bin/<program>-<version>), else one on the PATH. */
function findBinary(program: 'helm' | 'kubectl'): string | undefined {
  return [binaryPaths()[program], ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, program))].find(
    (path) => existsSync(path),
  );
}

/** $LINNET_HELM, else the helm testenv builds, else one on the PATH. */
function findHelm(): string | undefined {
  return process.env.LINNET_HELM ?? findBinary('helm');
}

describe('kustomize base (deploy/)', () => {
  const clusterRole = findObject(base, 'ClusterRole', 'linnet');
  const leaseRole = findObject(base, 'Role', 'linnet-leader-election');

  it('installs the CRDs, the namespace, the ServiceAccount, its RBAC, the Deployment and the metrics Service', () => {
    expect(base.map((object) => `${object.kind} ${object.metadata?.name ?? ''}`).sort()).toEqual(
      [
        'ClusterRole linnet',
        'ClusterRoleBinding linnet',
        'CustomResourceDefinition alertproviders.flagger.app',
        'CustomResourceDefinition canaries.flagger.app',
        'CustomResourceDefinition metrictemplates.flagger.app',
        'Deployment linnet',
        'Namespace linnet-system',
        'Role linnet-leader-election',
        'RoleBinding linnet-leader-election',
        'Service linnet',
        'ServiceAccount linnet',
      ].sort(),
    );
    for (const object of base.filter((candidate) => candidate.kind !== 'Namespace')) {
      if (object.kind === 'CustomResourceDefinition' || object.kind?.startsWith('Cluster')) continue;
      expect(`${object.kind ?? ''} ${object.metadata?.namespace ?? ''}`).toBe(`${object.kind ?? ''} linnet-system`);
    }
  });

  it('grants no wildcard', () => {
    expect(wildcardGrants(base)).toEqual([]);
  });

  it('covers every resource type the controller addresses', () => {
    // Addressed only by tests (namespaces), or not at all yet: no rule on purpose.
    const unused = new Set<ResourceType>([
      resourceTypes.namespace,
      resourceTypes.pod,
      resourceTypes.customResourceDefinition,
    ]);
    const rules = rulesOf(clusterRole);
    const uncovered = Object.values(resourceTypes)
      .filter((type) => !unused.has(type))
      .map((type): [ResourceType, string[]] => [type, verbsOn(rules, type.group, type.plural)])
      .filter(([type, verbs]) => {
        if (type === resourceTypes.lease) return verbs.length > 0; // only in the leader-election Role
        if (type === resourceTypes.event) return !['create', 'patch'].every((verb) => verbs.includes(verb));
        return !['get', 'list', 'watch'].every((verb) => verbs.includes(verb));
      })
      .map(([type, verbs]) => `${resourceName(type)}: ${verbs.join(',') || 'nothing'}`);
    expect(uncovered).toEqual([]);
    expect(verbsOn(rulesOf(leaseRole), 'coordination.k8s.io', 'leases')).toEqual(['create', 'get', 'update']);
  });

  it('runs the controller non-root on a read-only root filesystem, probed on /healthz and /readyz', () => {
    const deployment = findObject(base, 'Deployment', 'linnet') as ManifestObject & {
      spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
    };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0] ?? {};
    expect(pod.serviceAccountName).toBe('linnet');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    expect(container.image).toBe(`ghcr.io/linnet/controller:${CONTROLLER_VERSION}`);
    expect(container.args).toEqual(
      expect.arrayContaining(['-enable-leader-election', '-leader-election-namespace=$(POD_NAMESPACE)']),
    );
  });
});

describe('namespaced install (deploy/namespaced/)', () => {
  it('has no cluster-wide RBAC: a Role and RoleBinding in its own namespace with the ClusterRole rules', () => {
    expect(namespaced.filter((object) => object.kind?.startsWith('Cluster'))).toEqual([]);
    expect(namespaced.filter((object) => object.kind === 'CustomResourceDefinition')).toEqual([]);
    const role = findObject(namespaced, 'Role', 'linnet');
    expect(role.metadata?.namespace).toBe('linnet-system');
    expect(rulesOf(role)).toEqual(rulesOf(findObject(base, 'ClusterRole', 'linnet')));
    expect(findObject(namespaced, 'RoleBinding', 'linnet')).toMatchObject({
      roleRef: { kind: 'Role', name: 'linnet' },
      subjects: [{ kind: 'ServiceAccount', name: 'linnet', namespace: 'linnet-system' }],
    });
    expect(wildcardGrants(namespaced)).toEqual([]);
  });

  it('watches only the namespace the controller runs in', () => {
    expect(containerArgs(findObject(namespaced, 'Deployment', 'linnet'))).toEqual(
      expect.arrayContaining(['-namespace=$(POD_NAMESPACE)', '-leader-election-namespace=$(POD_NAMESPACE)']),
    );
  });

  const kubectl = findBinary('kubectl');
  (kubectl ? it : it.skip)(`renders as kubectl kustomize does (${kubectl ?? 'kubectl not found'})`, () => {
    const rendered = parseDocuments(
      execFileSync(kubectl ?? 'kubectl', ['kustomize', join(DEPLOY_DIR, 'namespaced')], { encoding: 'utf8' }),
      'kubectl kustomize deploy/namespaced',
    );
    const byId = (objects: ManifestObject[]): string[] =>
      objects.map((object) => JSON.stringify([object.kind, object.metadata?.namespace, object.metadata?.name])).sort();
    expect(byId(rendered)).toEqual(byId(namespaced));
    expect(containerArgs(findObject(rendered, 'Deployment', 'linnet'))).toEqual(
      containerArgs(findObject(namespaced, 'Deployment', 'linnet')),
    );
  });
});

describe('Helm chart (deploy/charts/linnet)', () => {
  it('has the controller version as appVersion', () => {
    const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { appVersion: string; version: string };
    expect(chart.appVersion).toBe(CONTROLLER_VERSION);
  });

  it('parses as YAML after a naive rendering of every template', () => {
    const kinds = [...naiveChart().values()].flat().map((object) => object.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ServiceAccount',
        'ClusterRole',
        'ClusterRoleBinding',
        'Role',
        'RoleBinding',
        'Deployment',
        'Service',
        'ServiceMonitor',
      ]),
    );
  });

  it('passes every opt-in policy value (optInPolicy.*) to its controller flag', () => {
    const template = readFileSync(join(CHART_DIR, 'templates', 'deployment.yaml'), 'utf8');
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { optInPolicy: object };
    expect(Object.keys(values.optInPolicy).sort()).toEqual(
      ['allowedGateways', 'allowedHosts', 'allowedMetricsServers', 'allowedWebhookUrls'].sort(),
    );
    for (const flag of Object.values(OPT_IN_POLICY_FLAGS)) expect(template).toContain(`"-${flag}=%s"`);
  });

  it('grants exactly the rules of the kustomize base, and no wildcard', () => {
    expect(chartRules()).toEqual(rulesOf(findObject(base, 'ClusterRole', 'linnet')));
    const leaderElection = naiveChart().get('leader-election-rbac.yaml') ?? [];
    const role = leaderElection.find((object) => object.kind === 'Role');
    expect(role && rulesOf(role)).toEqual(rulesOf(findObject(base, 'Role', 'linnet-leader-election')));
    expect(wildcardGrants([...naiveChart().values()].flat())).toEqual([]);
  });

  const helm = findHelm();
  // Without a cluster, helm checks Chart.yaml's kubeVersion against its build's default (v1.20 for a plain go build).
  const KUBE_VERSION = ['--kube-version', '1.36.0'];
  (helm ? it : it.skip)(`passes helm lint and renders with helm template (${helm ?? 'helm not found'})`, () => {
    const run = (...args: string[]): string =>
      execFileSync(helm ?? 'helm', args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    run('lint', '--strict', CHART_DIR, ...KUBE_VERSION);
    const clusterWide = parseDocuments(
      run('template', 'linnet', CHART_DIR, '--namespace', 'linnet-system', '--include-crds', ...KUBE_VERSION),
      'helm template',
    );
    const objects = (kind: string): ManifestObject[] => clusterWide.filter((object) => object.kind === kind);
    expect(
      objects('CustomResourceDefinition')
        .map((crd) => crd.metadata?.name)
        .sort(),
    ).toEqual(['alertproviders.flagger.app', 'canaries.flagger.app', 'metrictemplates.flagger.app']);
    expect(rulesOf(findObject(clusterWide, 'ClusterRole', 'linnet'))).toEqual(
      rulesOf(findObject(base, 'ClusterRole', 'linnet')),
    );
    expect(objects('Deployment').map((deployment) => deployment.metadata?.name)).toEqual([
      'linnet',
      'linnet-testloader',
    ]);
    expect(wildcardGrants(clusterWide)).toEqual([]);

    const scoped = parseDocuments(
      run(
        'template',
        'linnet',
        CHART_DIR,
        '--namespace',
        'linnet-system',
        '--set',
        'watchNamespace=team-a',
        ...KUBE_VERSION,
      ),
      'helm template (watchNamespace)',
    );
    expect(scoped.filter((object) => object.kind?.startsWith('Cluster'))).toEqual([]);
    expect(findObject(scoped, 'Role', 'linnet').metadata?.namespace).toBe('team-a');
    const args = (
      findObject(scoped, 'Deployment', 'linnet') as {
        spec?: { template?: { spec?: { containers?: { args?: string[] }[] } } };
      }
    ).spec?.template?.spec?.containers?.[0]?.args;
    expect(args).toEqual(expect.arrayContaining(['-namespace=team-a', '-leader-election-namespace=linnet-system']));

    // testloader.image is also the image of the private test loaders, with or without the shared one.
    const ownImage = parseDocuments(
      run(
        'template',
        'linnet',
        CHART_DIR,
        '--set',
        'testloader.enabled=false',
        '--set',
        'testloader.image.tag=dev',
        ...KUBE_VERSION,
      ),
      'helm template (testloader.image)',
    );
    const controllerArgs = (
      findObject(ownImage, 'Deployment', 'linnet') as {
        spec?: { template?: { spec?: { containers?: { args?: string[] }[] } } };
      }
    ).spec?.template?.spec?.containers?.[0]?.args;
    expect(controllerArgs).toContain('-test-loader-image=ghcr.io/linnet/testloader:dev');
  });
});

describe('Grafana dashboard (deploy/grafana, and the chart when grafanaDashboard.enabled)', () => {
  it('is one dashboard: the chart ships the same file as deploy/grafana, as a ConfigMap with the sidecar label', () => {
    const source = readFileSync(join(DEPLOY_DIR, 'grafana', 'linnet-canaries.json'), 'utf8');
    expect(readFileSync(join(CHART_DIR, 'dashboards', 'linnet-canaries.json'), 'utf8')).toBe(source);
    expect((JSON.parse(source) as { uid: string }).uid).toBe('linnet-canaries');
    expect(
      naiveChart()
        .get('grafana-dashboard.yaml')
        ?.map((object) => object.kind),
    ).toEqual(['ConfigMap']);
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
      grafanaDashboard: { enabled: boolean; sidecarLabel: Record<string, string> };
    };
    expect(values.grafanaDashboard).toMatchObject({ enabled: false, sidecarLabel: { grafana_dashboard: '1' } });
    const kustomization = parse(readFileSync(join(DEPLOY_DIR, 'grafana', 'kustomization.yaml'), 'utf8')) as {
      configMapGenerator: Array<{ files: string[]; options: { labels: Record<string, string> } }>;
    };
    expect(kustomization.configMapGenerator[0]).toMatchObject({
      files: ['linnet-canaries.json'],
      options: { labels: { grafana_dashboard: '1' } },
    });
  });

  const helm = findHelm();
  (helm ? it : it.skip)(
    `renders the dashboard ConfigMap and the global alert provider's flags with helm template (${helm ?? 'helm not found'})`,
    () => {
      const rendered = parseDocuments(
        execFileSync(
          helm ?? 'helm',
          [
            'template',
            'linnet',
            CHART_DIR,
            '--namespace',
            'linnet-system',
            '--kube-version',
            '1.36.0',
            '--set',
            'grafanaDashboard.enabled=true',
            '--set',
            'slack.url=https://hooks.slack.com/services/x',
            '--set',
            'slack.channel=deploys',
            '--set',
            'alertsSecret=linnet-alerts',
          ],
          { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
        'helm template (grafanaDashboard, slack)',
      );
      const dashboard = findObject(rendered, 'ConfigMap', 'linnet-grafana-dashboard') as ManifestObject & {
        data?: Record<string, string>;
      };
      expect(dashboard.metadata?.labels?.grafana_dashboard).toBe('1');
      expect(dashboard.data?.['linnet-canaries.json']).toBe(
        readFileSync(join(DEPLOY_DIR, 'grafana', 'linnet-canaries.json'), 'utf8').trimEnd(),
      );
      const container = (
        findObject(rendered, 'Deployment', 'linnet') as {
          spec?: { template?: { spec?: { containers?: Array<{ args?: string[]; envFrom?: unknown[] }> } } };
        }
      ).spec?.template?.spec?.containers?.[0];
      expect(container?.args).toEqual(
        expect.arrayContaining([
          '-slack-url=https://hooks.slack.com/services/x',
          '-slack-user=flagger',
          '-slack-channel=deploys',
        ]),
      );
      expect(container?.envFrom).toEqual([{ secretRef: { name: 'linnet-alerts' } }]);
    },
  );
});
