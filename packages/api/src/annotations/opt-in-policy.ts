import { redactUrl } from '../redact-url.ts';
import type { CanarySpec } from '../schema/canary.ts';
import type { AnnotationProblem } from './opt-in-canary.ts';
import { ROLLOUT_POLICY_ANNOTATION } from './opt-in-annotations.ts';

/**
 * What the operator lets annotations reach. Whoever may patch a Deployment may annotate it; in Flagger the same
 * settings need rights on Canary objects. So the Canary generated from annotations is checked against this policy
 * (controller flags `-opt-in-allowed-*`, Helm values `optInPolicy.*`) and refused, with the policy named, when it
 * attaches to a gateway, serves a host, calls a webhook or queries a metrics server the operator did not allow.
 *
 * Patterns may contain `{namespace}`, replaced by the workload's namespace. In host patterns `*` stands for exactly
 * one DNS label. A URL pattern is `scheme://host-pattern[:port|:*][/path-prefix]`: without a port only the scheme's
 * default port matches, `:*` any port; without a path any path.
 */
export interface OptInPolicy {
  /** `namespace/name` of the Istio gateways a generated VirtualService may attach to ("mesh" always may). */
  readonly allowedGateways: readonly string[];
  readonly allowedHostPatterns: readonly string[];
  /** Webhooks, the load tester included. */
  readonly allowedWebhookUrlPatterns: readonly string[];
  /** `spec.metricsServer` values; the controller's own -metrics-server needs no entry. */
  readonly allowedMetricsServers: readonly string[];
}

/**
 * The seed's shape: no gateway but the mesh unless the operator lists it, hosts and test loaders in the workload's
 * own namespace (a short host name is in the VirtualService's namespace; a short URL host would resolve in the
 * controller's namespace, so URLs need the namespace), no other metrics server.
 */
export const DEFAULT_OPT_IN_POLICY: OptInPolicy = {
  allowedGateways: [],
  allowedHostPatterns: ['*', '*.{namespace}', '*.{namespace}.svc', '*.{namespace}.svc.cluster.local'],
  allowedWebhookUrlPatterns: [
    'http://*.{namespace}:*',
    'http://*.{namespace}.svc:*',
    'http://*.{namespace}.svc.cluster.local:*',
  ],
  allowedMetricsServers: [],
};

/** The controller flag that sets each part of the policy, named in every refusal. */
export const OPT_IN_POLICY_FLAGS = {
  allowedGateways: 'opt-in-allowed-gateways',
  allowedHostPatterns: 'opt-in-allowed-hosts',
  allowedWebhookUrlPatterns: 'opt-in-allowed-webhook-urls',
  allowedMetricsServers: 'opt-in-allowed-metrics-servers',
} as const satisfies Record<keyof OptInPolicy, string>;

/**
 * Everything in a generated Canary's spec that the policy does not allow, each attributed to the annotation that
 * set it (the specific one when present, else linnet.dev/rollout-policy).
 */
export function checkOptInPolicy(
  spec: CanarySpec,
  workload: { namespace: string; annotations: Readonly<Record<string, string>> },
  policy: OptInPolicy,
): AnnotationProblem[] {
  const problems: AnnotationProblem[] = [];
  const { namespace } = workload;
  const source = (annotation: string): string =>
    workload.annotations[annotation] !== undefined ? annotation : ROLLOUT_POLICY_ANNOTATION;
  const refuse = (annotation: string, what: string, part: keyof OptInPolicy): void => {
    const allowed = policy[part];
    problems.push({
      annotation: source(annotation),
      message:
        `${what} is not allowed by the operator's opt-in policy ` +
        `(-${OPT_IN_POLICY_FLAGS[part]}: ${allowed.length > 0 ? allowed.join(', ') : 'none'})`,
    });
  };

  for (const gateway of spec.service?.gateways ?? []) {
    if (gateway === 'mesh') continue;
    const qualified = gateway.includes('/') ? gateway : `${namespace}/${gateway}`;
    if (!policy.allowedGateways.includes(qualified))
      refuse('linnet.dev/gateways', `gateway "${gateway}"`, 'allowedGateways');
  }
  for (const host of spec.service?.hosts ?? []) {
    const patterns = policy.allowedHostPatterns.map((pattern) => withNamespace(pattern, namespace));
    if (!patterns.some((pattern) => hostMatches(pattern, host))) {
      refuse('linnet.dev/hosts', `host "${host}"`, 'allowedHostPatterns');
    }
  }
  for (const webhook of spec.analysis?.webhooks ?? []) {
    const patterns = policy.allowedWebhookUrlPatterns.map((pattern) => withNamespace(pattern, namespace));
    if (!patterns.some((pattern) => urlMatches(pattern, webhook.url))) {
      refuse(
        'linnet.dev/load-tester-url',
        `webhook ${webhook.name} URL "${redactUrl(webhook.url)}"`,
        'allowedWebhookUrlPatterns',
      );
    }
  }
  if (spec.metricsServer !== undefined && !policy.allowedMetricsServers.includes(spec.metricsServer)) {
    refuse(ROLLOUT_POLICY_ANNOTATION, `metrics server "${redactUrl(spec.metricsServer)}"`, 'allowedMetricsServers');
  }
  for (const metric of spec.analysis?.metrics ?? []) {
    const templateNamespace = metric.templateRef?.namespace;
    if (templateNamespace !== undefined && templateNamespace !== namespace) {
      // A MetricTemplate names its own metrics server; one in another namespace was not written for this workload.
      refuse(
        ROLLOUT_POLICY_ANNOTATION,
        `metric ${metric.name} with a MetricTemplate in namespace ${templateNamespace}`,
        'allowedMetricsServers',
      );
    }
  }
  return problems;
}

function withNamespace(pattern: string, namespace: string): string {
  return pattern.replaceAll('{namespace}', namespace);
}

/** `*` matches exactly one DNS label; everything else literally, case-insensitively. */
function hostMatches(pattern: string, host: string): boolean {
  const patternLabels = pattern.toLowerCase().split('.');
  const hostLabels = host.toLowerCase().split('.');
  return (
    patternLabels.length === hostLabels.length &&
    patternLabels.every((label, index) => label === '*' || label === hostLabels[index]) &&
    hostLabels.every((label) => label !== '')
  );
}

function urlMatches(pattern: string, text: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/:]+)(?::(\*|\d+))?(\/.*)?$/iu.exec(pattern);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (!match) return false;
  const [, scheme = '', hostPattern = '', port, pathPrefix = '/'] = match;
  return (
    url.protocol === `${scheme.toLowerCase()}:` &&
    url.username === '' &&
    url.password === '' &&
    hostMatches(hostPattern, url.hostname) &&
    (port === '*' || url.port === (port ?? '')) &&
    url.pathname.startsWith(pathPrefix)
  );
}
