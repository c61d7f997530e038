/**
 * Command line of `npm run demo` (packages/testenv/src/demo/main.ts). Pure: parsing only.
 *
 * Two modes:
 *   local (default)  build or reuse the embedded local cluster (testenv: control plane, Prometheus, mesh simulator),
 *                    run the test loader and the controller as child processes
 *   external         a cluster of yours (--kubeconfig PATH, or --external for $KUBECONFIG / ~/.kube/config) with
 *                    Istio, Prometheus and the test loader; the controller installed there, or run here when
 *                    --metrics-server is given
 */
export interface DemoOptions {
  readonly mode: 'local' | 'external';
  /** Leave the controller and test loader running when the demo ends (and the cluster, as always). */
  readonly keep: boolean;
  /** The annotation path: annotate the Deployment instead of applying the Canary (local cluster only). */
  readonly annotations: boolean;
  /** Only stop the processes a previous --keep run left, then exit. */
  readonly stopOnly: boolean;
  readonly help: boolean;
  /** local: the testenv cluster name. */
  readonly clusterName: string;
  /** external: the kubeconfig (undefined = $KUBECONFIG, else ~/.kube/config). */
  readonly kubeconfig: string | undefined;
  /** external: run the controller locally against this Prometheus; undefined = it runs in the cluster. */
  readonly metricsServer: string | undefined;
  /** external: where the controller reaches the test loader (the Canary's webhook URL is rewritten to it). */
  readonly loadTesterUrl: string | undefined;
  /** local: run the controller image (`npm run image`) as a locked-down runc container instead of a process. */
  readonly controllerImage: boolean;
  /**
   * local: a cluster with a real node (`up --real-node`, default name current-node); the built images loaded there,
   * deploy/ installed unchanged, the controller running as a pod.
   */
  readonly realNode: boolean;
}

export const DEMO_USAGE = `usage: npm run demo -- [options]

The seed walkthrough (examples/rollout) end to end: initialise webapp/backend, roll out podinfo 6.0.1 (promoted),
then podinfo 6.0.2 answering 20 % errors (rolled back), printing the Canary's status rows as they change.

  --annotations           the annotation path: apply the example without its Canary, annotate the Deployment
                          (linnet.dev/canary=enabled …) so that the controller generates the Canary and its test
                          loader, roll out, roll back, then opt out (local cluster only)
  --keep                  leave the controller and test loader running afterwards (the cluster always stays)
  --stop                  stop the controller and test loader a --keep run left, then exit
  --cluster-name NAME     local cluster name (default current; npm run testenv -- down --name NAME removes it)
  --controller-image      run the controller image (npm run image) as a locked-down runc container (UID 65532,
                          read-only root, no capabilities) instead of a Node process
  --real-node             a local cluster with a real node (kubelet + containerd + runc; needs root, default name
                          current-node): the images of npm run image loaded there, deploy/ installed unchanged with
                          kubectl, the controller running as a pod; examples/rollout-real-node (10 s checks)

  --kubeconfig PATH       use this cluster instead of the local one (it needs Istio, Prometheus with Istio's
                          metrics and the test loader; see docs/getting-started.md)
  --external              the same with $KUBECONFIG (or ~/.kube/config)
  --metrics-server URL    external: run the controller here, against this Prometheus
                          (default: the controller is installed in the cluster)
  --load-tester-url URL   external: the test loader's URL as the controller reaches it
                          (default: the in-cluster http://backend-testloader.webapp:8080/ of the example)
  --help
`;

export type ParsedDemoOptions = { ok: true; options: DemoOptions } | { ok: false; error: string };

const VALUE_FLAGS = new Set(['--kubeconfig', '--metrics-server', '--load-tester-url', '--cluster-name']);
const BOOLEAN_FLAGS = new Set([
  '--annotations',
  '--keep',
  '--stop',
  '--external',
  '--controller-image',
  '--real-node',
  '--help',
  '-h',
]);

export function parseDemoOptions(args: readonly string[]): ParsedDemoOptions {
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = equals > 0 ? arg.slice(equals + 1) : args[++index];
      if (value === undefined || value === '') return { ok: false, error: `${name} needs a value` };
      values.set(name, value);
    } else if (BOOLEAN_FLAGS.has(arg)) {
      booleans.add(arg);
    } else {
      return { ok: false, error: `unknown argument "${arg}"` };
    }
  }
  const help = booleans.has('--help') || booleans.has('-h');
  const kubeconfig = values.get('--kubeconfig');
  const external = booleans.has('--external') || kubeconfig !== undefined;
  const metricsServer = values.get('--metrics-server');
  const loadTesterUrl = values.get('--load-tester-url');
  if (!external && (metricsServer !== undefined || loadTesterUrl !== undefined)) {
    return {
      ok: false,
      error:
        '--metrics-server and --load-tester-url are for a cluster of yours (--kubeconfig or --external); ' +
        'the local cluster brings its own',
    };
  }
  if (booleans.has('--controller-image') && (external || booleans.has('--keep') || booleans.has('--annotations'))) {
    return {
      ok: false,
      error:
        '--controller-image runs the controller in a container on the local cluster; not with ' +
        '--kubeconfig/--external, --keep or --annotations',
    };
  }
  if (
    booleans.has('--real-node') &&
    (external || booleans.has('--controller-image') || booleans.has('--annotations'))
  ) {
    return {
      ok: false,
      error:
        '--real-node runs the controller as a pod on the local cluster; not with --kubeconfig/--external, ' +
        '--controller-image or --annotations',
    };
  }
  if (external && booleans.has('--annotations')) {
    return {
      ok: false,
      error:
        '--annotations runs on the local cluster only; on a cluster of yours annotate the Deployment yourself ' +
        '(docs/annotations.md)',
    };
  }
  if (external && values.has('--cluster-name')) {
    return { ok: false, error: '--cluster-name names a local cluster; it does not go with --kubeconfig/--external' };
  }
  for (const [flag, url] of [
    ['--metrics-server', metricsServer],
    ['--load-tester-url', loadTesterUrl],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) {
      return { ok: false, error: `${flag} must be an http:// or https:// URL (got ${url})` };
    }
  }
  const clusterName = values.get('--cluster-name') ?? (booleans.has('--real-node') ? 'current-node' : 'current');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(clusterName)) {
    return { ok: false, error: `invalid cluster name "${clusterName}"` };
  }
  return {
    ok: true,
    options: {
      mode: external ? 'external' : 'local',
      keep: booleans.has('--keep'),
      annotations: booleans.has('--annotations'),
      stopOnly: booleans.has('--stop'),
      help,
      clusterName,
      kubeconfig,
      metricsServer,
      loadTesterUrl,
      controllerImage: booleans.has('--controller-image'),
      realNode: booleans.has('--real-node'),
    },
  };
}
