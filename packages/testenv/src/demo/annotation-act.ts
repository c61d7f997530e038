import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testLoaderName, testLoaderUrl, type CanarySpec } from '@linnet/api';
import {
  clusterServiceProxyEnv,
  startClusterServiceProxy,
  type ClusterServiceProxy,
} from '../cluster-service-proxy.ts';
import { waitFor } from '../wait.ts';
import type { DemoKube } from './demo-kube.ts';
import type { DemoKubectl } from './demo-kubectl.ts';
import { startDemoProcess, waitForPortLine, type DemoProcess } from './demo-processes.ts';
import type { SeedObject } from './seed-manifests.ts';

/**
 * `npm run demo -- --annotations`: the annotation path. The example is applied without its Canary and the Deployment
 * is annotated instead (`kubectl annotate deployment backend linnet.dev/canary=enabled …`, the same settings as the
 * example's Canary); the controller generates the Canary and the private test loader `backend-testloader`
 * (Deployment, Service, token Secret). The local cluster's pods are kwok fakes, so the test-loader code runs as a
 * local process with the generated token, and the controller reaches it under its in-cluster name through the
 * cluster service proxy. The last act opts out: the Canary and the test loader go, and the workload serves again.
 */

/** The opt-in annotations that ask for what `canary` says (docs/annotations.md). Pure. */
export function optInAnnotationsFor(canary: SeedObject): Record<string, string> {
  const spec = canary.spec as CanarySpec;
  const { name, namespace = 'webapp' } = canary.metadata;
  const analysis = spec.analysis ?? {};
  const service = spec.service;
  const loadTest = (analysis.webhooks ?? []).find((webhook) => (webhook.type ?? 'rollout') === 'rollout');
  const annotations: Record<string, string> = { 'linnet.dev/canary': 'enabled' };
  const set = (annotation: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') annotations[`linnet.dev/${annotation}`] = String(value);
  };
  set('interval', analysis.interval);
  set('threshold', analysis.threshold);
  set('step-weight', analysis.stepWeight);
  set('max-weight', analysis.maxWeight);
  set('metric-interval', analysis.metrics?.[0]?.interval);
  set('gateways', service?.gateways?.join(','));
  set('hosts', service?.hosts?.join(','));
  set('timeout', service?.timeout);
  set('load-test', loadTest?.metadata?.cmd);
  set('load-test-timeout', loadTest?.timeout);
  if (loadTest && loadTest.url !== testLoaderUrl(name, namespace)) set('load-tester-url', loadTest.url);
  return annotations;
}

/** `kubectl annotate` as a user would type it (values with spaces quoted). */
export function annotateCommandLine(namespace: string, name: string, annotations: Record<string, string>): string {
  const pairs = Object.entries(annotations).map(([key, value]) =>
    /\s/.test(value) ? `${key}='${value}'` : `${key}=${value}`,
  );
  return `kubectl -n ${namespace} annotate deployment ${name} ${pairs.join(' \\\n     ')}`;
}

export interface AnnotationActOptions {
  kube: DemoKube;
  kubectl: DemoKubectl;
  canary: SeedObject;
  testLoaderMain: string;
  meshSimulatorUrl: string | undefined;
  runDir: string;
  line(text?: string): void;
  /** Registers a started child process (stopped with the demo's others). */
  adopt(process_: DemoProcess): void;
}

export interface OptOutResult {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly outcome: string;
}

export class AnnotationAct {
  private readonly options: AnnotationActOptions;
  private readonly proxy: ClusterServiceProxy;
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Record<string, string>;

  private constructor(options: AnnotationActOptions, proxy: ClusterServiceProxy) {
    this.options = options;
    this.proxy = proxy;
    this.name = options.canary.metadata.name;
    this.namespace = options.canary.metadata.namespace ?? 'webapp';
    this.annotations = optInAnnotationsFor(options.canary);
  }

  static async start(options: AnnotationActOptions): Promise<AnnotationAct> {
    return new AnnotationAct(options, await startClusterServiceProxy());
  }

  /** The example without its Canary: the annotations take its place. */
  manifests(objects: readonly SeedObject[]): SeedObject[] {
    return objects.filter((object) => object.kind !== 'Canary');
  }

  /** The controller's environment: HTTP calls to cluster names go through the proxy. */
  controllerEnv(): NodeJS.ProcessEnv {
    return { ...process.env, ...clusterServiceProxyEnv(this.proxy) };
  }

  /** The operator policy must allow the example's gateway (docs/annotations.md "Operator policy"). */
  controllerArgs(): string[] {
    const gateways = this.annotations['linnet.dev/gateways'];
    return gateways ? [`-opt-in-allowed-gateways=${gateways}`] : [];
  }

  /** `kubectl annotate deployment …`: the opt-in. */
  async annotate(): Promise<void> {
    const { kubectl, line } = this.options;
    const { namespace, name } = this;
    line("   (without the example's Canary: the annotations take its place)");
    line(`   ${annotateCommandLine(namespace, name, this.annotations)}`);
    await kubectl.run([
      '-n',
      namespace,
      'annotate',
      'deployment',
      name,
      ...Object.entries(this.annotations).map(([key, value]) => `${key}=${value}`),
    ]);
  }

  /** Shows what the controller generated, and runs the test loader in its fake pod's place. */
  async runTestLoader(): Promise<void> {
    const { kube, line } = this.options;
    const { namespace, name } = this;
    const loader = testLoaderName(name);
    const secret = await waitFor(
      `the generated Canary and test loader of ${name}`,
      async () => {
        if (!(await kube.read('flagger.app/v1beta1', 'Canary', name, namespace))) return undefined;
        if (!(await kube.read('apps/v1', 'Deployment', loader, namespace))) return undefined;
        return (await kube.read('v1', 'Secret', `${loader}-token`, namespace)) as
          { data?: Record<string, string> } | undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    await this.show(['get', 'canary', '-n', namespace]);
    await this.show(['get', 'deployment,service,secret', '-n', namespace, '-l', `linnet.dev/test-loader-for=${name}`]);

    const tokenFile = join(this.options.runDir, 'testloader-token');
    writeFileSync(tokenFile, Buffer.from(secret.data?.token ?? '', 'base64').toString(), { mode: 0o600 });
    const process_ = startDemoProcess({
      name: 'test loader',
      mainFile: this.options.testLoaderMain,
      args: [
        '--port=0',
        '--address=127.0.0.1',
        `--token-file=${tokenFile}`,
        `--namespace-regexp=^${namespace}$`,
        ...(this.options.meshSimulatorUrl ? [`--mesh-simulator-url=${this.options.meshSimulatorUrl}`] : []),
      ],
      logFile: join(this.options.runDir, 'testloader.log'),
    });
    this.options.adopt(process_);
    const port = await waitForPortLine(
      process_,
      (entry) => String(entry.message).startsWith('Starting Linnet'),
      30_000,
    );
    this.proxy.route(`${loader}.${namespace}:8080`, `http://127.0.0.1:${port}`);
    line(
      `   the pods are kwok fakes: the test loader runs here instead (pid ${process_.pid}, log ${process_.logFile}),`,
    );
    line(
      `   with the token of secret/${loader}-token; the controller reaches http://${loader}.${namespace}:8080/ through`,
    );
    line(
      `   the cluster service proxy ${this.proxy.url} (HTTP_PROXY), and its hey load becomes mesh simulator traffic`,
    );
  }

  /** Opts out and waits until the Canary, the test loader and the routing are gone and the workload serves again. */
  async optOut(): Promise<OptOutResult> {
    const { kube, kubectl, line } = this.options;
    const { namespace, name } = this;
    line(`\n4. opt out: kubectl -n ${namespace} annotate deployment ${name} linnet.dev/canary-`);
    const since = Date.now();
    await kubectl.run(['-n', namespace, 'annotate', 'deployment', name, 'linnet.dev/canary-']);
    const gone: Array<[string, string, string]> = [
      ['flagger.app/v1beta1', 'Canary', name],
      ['apps/v1', 'Deployment', testLoaderName(name)],
      ['v1', 'Service', testLoaderName(name)],
      ['v1', 'Secret', `${testLoaderName(name)}-token`],
      ['apps/v1', 'Deployment', `${name}-primary`],
    ];
    let left: string[] = [];
    try {
      await waitFor(
        'the Canary, its test loader and the primary to be gone',
        async () => {
          left = [];
          for (const [apiVersion, kind, objectName] of gone) {
            if (await kube.read(apiVersion, kind, objectName, namespace)) left.push(`${kind} ${objectName}`);
          }
          const target = (await kube.read('apps/v1', 'Deployment', name, namespace)) as
            { spec?: { replicas?: number } } | undefined;
          if (!target?.spec?.replicas) left.push(`${name} still scaled to 0`);
          return left.length === 0 ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500, explainTimeout: () => `left: ${left.join(', ')}` },
      );
    } catch {
      line(`   still there after 120 s: ${left.join(', ')}`);
      return { ok: false, durationMs: Date.now() - since, outcome: `left ${left.join(', ')}` };
    }
    await this.show(['get', 'canary,deployment,service,secret', '-n', namespace]);
    line('   the Canary and the test loader are gone (garbage collection: they were owned by the Canary);');
    line(
      `   ${name} runs its own replicas again (revertOnDeletion); the Services and routes Linnet generated are gone`,
    );
    return { ok: true, durationMs: Date.now() - since, outcome: 'Removed' };
  }

  async stop(): Promise<void> {
    await this.proxy.close();
  }

  private async show(args: string[]): Promise<void> {
    this.options.line(`   $ kubectl ${args.join(' ')}`);
    for (const text of (await this.options.kubectl.run(args)).trimEnd().split('\n')) this.options.line(`     ${text}`);
  }
}
