import { DEFAULT_OPT_IN_POLICY, MAX_TIMER_MS, OPT_IN_POLICY_FLAGS, tryParseDuration } from '@linnet/api';
import { DEFAULT_PROMETHEUS_MAX_ANSWER_BYTES } from '../metrics-providers/index.ts';
import { LOG_LEVELS } from '../observability/logger.ts';
import type { LogLevel } from '../observability/logger.ts';
import { DEFAULT_WEBHOOK_MAX_ANSWER_BYTES } from '../webhooks/index.ts';
import type { ControllerOptions } from './controller-options.ts';

export type FlagErrorReason = 'UnknownFlag' | 'MissingFlagValue' | 'InvalidFlagValue';

export class FlagError extends Error {
  readonly reason: FlagErrorReason;
  readonly flag: string;

  constructor(reason: FlagErrorReason, flag: string, message: string) {
    super(message);
    this.name = 'FlagError';
    this.reason = reason;
    this.flag = flag;
  }
}

export type ParsedCommandLine =
  { kind: 'run'; options: ControllerOptions } | { kind: 'help'; usage: string } | { kind: 'version' };

type FlagKind = 'string' | 'boolean' | 'integer' | 'list' | 'duration';

interface FlagSpec {
  name: string;
  aliases?: readonly string[];
  kind: FlagKind;
  help: string;
  /** Shown in usage; the parsed default comes from {@link defaultOptions}. */
  defaultText: string;
  apply(options: ControllerOptions, value: string): void;
}

const SUPPORTED_MESH_PROVIDERS = ['istio'];
/**
 * Concurrent reconciles by default. Flagger's 2 leaves a burst of due steps waiting for two workers that mostly wait
 * on the API server, while a worker here is a cheap async loop: 8 already cut the p99 step drift of 100 simultaneous
 * rollouts from 7.2 s to 0.5 s (docs/benchmarks.md, isolation); 16 leaves room for more.
 */
export const DEFAULT_WORKERS = 16;
/** The test-loader image this version of Linnet is released with (deploy/testloader/Dockerfile). */
const DEFAULT_TEST_LOADER_IMAGE = 'ghcr.io/linnet/testloader:0.1.0';

function defaultOptions(): ControllerOptions {
  return {
    kubeconfig: '',
    metricsServer: 'http://prometheus:9090',
    namespaces: [],
    selectorLabels: ['app', 'name', 'app.kubernetes.io/name'],
    workers: DEFAULT_WORKERS,
    enableLeaderElection: false,
    leaderElectionNamespace: '',
    logLevel: 'info',
    port: 8080,
    enableConfigTracking: true,
    clusterName: '',
    eventWebhook: '',
    includeLabelPrefix: [],
    meshProvider: 'istio',
    minAnalysisIntervalMs: 10_000,
    prometheusMaxAnswerBytes: DEFAULT_PROMETHEUS_MAX_ANSWER_BYTES,
    webhookMaxAnswerBytes: DEFAULT_WEBHOOK_MAX_ANSWER_BYTES,
    optInPolicy: DEFAULT_OPT_IN_POLICY,
    leaderElectionLeaseDurationMs: 15_000,
    leaderElectionRenewDeadlineMs: 10_000,
    leaderElectionRetryPeriodMs: 2_000,
    slackUrl: '',
    slackToken: '',
    slackProxyUrl: '',
    slackUser: 'flagger',
    slackChannel: '',
    msteamsUrl: '',
    msteamsProxyUrl: '',
    alertTimeoutMs: 5_000,
    acceptedWithoutEffect: [],
    testLoaderImage: DEFAULT_TEST_LOADER_IMAGE,
  };
}

const FLAGS: readonly FlagSpec[] = [
  {
    name: 'kubeconfig',
    kind: 'string',
    defaultText: '"" (in-cluster, or $KUBECONFIG)',
    help: 'Path to a kubeconfig. Only required if out-of-cluster.',
    apply: (o, v) => (o.kubeconfig = v),
  },
  {
    name: 'metrics-server',
    kind: 'string',
    defaultText: 'http://prometheus:9090',
    help: 'Prometheus URL for the builtin metrics.',
    apply: (o, v) => (o.metricsServer = requireUrl('metrics-server', v)),
  },
  {
    name: 'namespace',
    kind: 'string',
    defaultText: '"" (all namespaces)',
    help: 'Namespace that Linnet watches for Canary objects; a comma-separated list watches several.',
    apply: (o, v) => (o.namespaces = requireNamespaces('namespace', v)),
  },
  {
    name: 'selector-labels',
    kind: 'list',
    defaultText: 'app,name,app.kubernetes.io/name',
    help: 'Comma-separated list of labels used to select the target pods.',
    apply: (o, v) => (o.selectorLabels = requireNonEmptyList('selector-labels', v)),
  },
  {
    name: 'threadiness',
    aliases: ['workers'],
    kind: 'integer',
    defaultText: String(DEFAULT_WORKERS),
    help: 'Number of canaries reconciled concurrently.',
    apply: (o, v) => (o.workers = requireInteger('threadiness', v, 1, 1_000)),
  },
  {
    name: 'enable-leader-election',
    kind: 'boolean',
    defaultText: 'false',
    help: 'Run with one active replica, elected on a Lease.',
    apply: (o, v) => (o.enableLeaderElection = requireBoolean('enable-leader-election', v)),
  },
  {
    name: 'leader-election-namespace',
    kind: 'string',
    defaultText: '-namespace, else kube-system',
    help: 'Namespace of the leader election Lease.',
    apply: (o, v) => (o.leaderElectionNamespace = v),
  },
  {
    name: 'log-level',
    kind: 'string',
    defaultText: 'info',
    help: `Log level: ${LOG_LEVELS.join(', ')}.`,
    apply: (o, v) => (o.logLevel = requireLogLevel(v)),
  },
  {
    name: 'port',
    kind: 'integer',
    defaultText: '8080',
    help: 'Port of /healthz, /readyz and /metrics.',
    apply: (o, v) => (o.port = requireInteger('port', v, 0, 65_535)),
  },
  {
    name: 'enable-config-tracking',
    kind: 'boolean',
    defaultText: 'true',
    help: 'Track ConfigMaps and Secrets referenced by targets and copy them to the primary.',
    apply: (o, v) => (o.enableConfigTracking = requireBoolean('enable-config-tracking', v)),
  },
  {
    name: 'cluster-name',
    kind: 'string',
    defaultText: '""',
    help: 'Cluster name shown in alerts.',
    apply: (o, v) => (o.clusterName = v),
  },
  {
    name: 'event-webhook',
    kind: 'string',
    defaultText: '"" (env EVENT_WEBHOOK_URL overrides)',
    help: 'Webhook URL that receives every canary event.',
    apply: (o, v) => (o.eventWebhook = v === '' ? '' : requireUrl('event-webhook', v)),
  },
  {
    name: 'test-loader-image',
    kind: 'string',
    defaultText: DEFAULT_TEST_LOADER_IMAGE,
    help: 'Image of the private test loader created for an opted-in workload that asks for load tests.',
    apply: (o, v) => (o.testLoaderImage = requireImage('test-loader-image', v)),
  },
  {
    name: 'include-label-prefix',
    kind: 'list',
    defaultText: '""',
    help: 'Comma-separated label prefixes copied from targets to generated objects ("*" = all).',
    apply: (o, v) => (o.includeLabelPrefix = splitList(v)),
  },
  {
    name: 'mesh-provider',
    kind: 'string',
    defaultText: 'istio',
    help: `Service mesh provider; Linnet supports ${SUPPORTED_MESH_PROVIDERS.join(', ')}.`,
    apply: (o, v) => {
      if (!SUPPORTED_MESH_PROVIDERS.includes(v)) {
        throw new FlagError('InvalidFlagValue', 'mesh-provider', `-mesh-provider=${v}: Linnet supports only istio`);
      }
      o.meshProvider = v;
    },
  },
  {
    name: 'min-analysis-interval',
    kind: 'duration',
    defaultText: '10s',
    help: 'Shortest analysis interval; shorter spec.analysis.interval values are raised to it (lower only for tests and demos).',
    apply: (o, v) => (o.minAnalysisIntervalMs = requireDuration('min-analysis-interval', v, 1)),
  },
  {
    name: 'prometheus-max-answer-bytes',
    kind: 'integer',
    defaultText: '1048576 (1 MiB)',
    help: 'Largest Prometheus answer read; a bigger one fails the metric check.',
    apply: (o, v) => (o.prometheusMaxAnswerBytes = requireInteger('prometheus-max-answer-bytes', v, 1024, 1024 ** 3)),
  },
  {
    name: 'webhook-max-answer-bytes',
    kind: 'integer',
    defaultText: '65536 (64 KiB)',
    help: 'Largest webhook answer read; a bigger one fails the webhook call.',
    apply: (o, v) => (o.webhookMaxAnswerBytes = requireInteger('webhook-max-answer-bytes', v, 1024, 1024 ** 3)),
  },
  {
    name: OPT_IN_POLICY_FLAGS.allowedGateways,
    kind: 'list',
    defaultText: '"" (only the mesh)',
    help: 'Comma-separated namespace/name of the Istio gateways that opt-in annotations may attach to.',
    apply: (o, v) => (o.optInPolicy = { ...o.optInPolicy, allowedGateways: requireGatewayList(v) }),
  },
  {
    name: OPT_IN_POLICY_FLAGS.allowedHostPatterns,
    kind: 'list',
    defaultText: DEFAULT_OPT_IN_POLICY.allowedHostPatterns.join(','),
    help: 'Comma-separated host patterns opt-in annotations may use ("*" = one DNS label, {namespace} = the workload\'s).',
    apply: (o, v) => (o.optInPolicy = { ...o.optInPolicy, allowedHostPatterns: splitList(v) }),
  },
  {
    name: OPT_IN_POLICY_FLAGS.allowedWebhookUrlPatterns,
    kind: 'list',
    defaultText: DEFAULT_OPT_IN_POLICY.allowedWebhookUrlPatterns.join(','),
    help: 'Comma-separated URL patterns (scheme://host-pattern[:port|:*][/path]) of webhooks and load testers opt-in annotations may call.',
    apply: (o, v) => (o.optInPolicy = { ...o.optInPolicy, allowedWebhookUrlPatterns: requireUrlPatternList(v) }),
  },
  {
    name: OPT_IN_POLICY_FLAGS.allowedMetricsServers,
    kind: 'list',
    defaultText: '"" (only -metrics-server)',
    help: 'Comma-separated Prometheus URLs opt-in annotations may query besides -metrics-server.',
    apply: (o, v) =>
      (o.optInPolicy = {
        ...o.optInPolicy,
        allowedMetricsServers: splitList(v).map((url) => requireUrl(OPT_IN_POLICY_FLAGS.allowedMetricsServers, url)),
      }),
  },
  {
    name: 'leader-election-lease-duration',
    kind: 'duration',
    defaultText: '15s',
    help: 'How long a leader lease stays valid without renewal.',
    apply: (o, v) => (o.leaderElectionLeaseDurationMs = requireDuration('leader-election-lease-duration', v, 1)),
  },
  {
    name: 'leader-election-renew-deadline',
    kind: 'duration',
    defaultText: '10s',
    help: 'A leader that could not renew its lease for this long steps down.',
    apply: (o, v) => (o.leaderElectionRenewDeadlineMs = requireDuration('leader-election-renew-deadline', v, 1)),
  },
  {
    name: 'leader-election-retry-period',
    kind: 'duration',
    defaultText: '2s',
    help: 'Interval between leader election attempts.',
    apply: (o, v) => (o.leaderElectionRetryPeriodMs = requireDuration('leader-election-retry-period', v, 1)),
  },
  {
    name: 'slack-url',
    kind: 'string',
    defaultText: '"" (env SLACK_URL overrides)',
    help: 'Slack incoming webhook URL of the global alert provider (Canaries without analysis.alerts).',
    apply: (o, v) => (o.slackUrl = v),
  },
  {
    name: 'slack-token',
    kind: 'string',
    defaultText: '"" (env SLACK_TOKEN overrides)',
    help: 'Slack bot token of the global alert provider, sent as a Bearer token.',
    apply: (o, v) => (o.slackToken = v),
  },
  {
    name: 'slack-proxy-url',
    kind: 'string',
    defaultText: '"" (env SLACK_PROXY_URL overrides)',
    help: 'HTTP(S) proxy for the global Slack alert provider.',
    apply: (o, v) => (o.slackProxyUrl = v),
  },
  {
    name: 'slack-user',
    kind: 'string',
    defaultText: 'flagger',
    help: 'User name the global alert provider posts as.',
    apply: (o, v) => (o.slackUser = v),
  },
  {
    name: 'slack-channel',
    kind: 'string',
    defaultText: '""',
    help: 'Channel of the global Slack alert provider; required with -slack-url.',
    apply: (o, v) => (o.slackChannel = v),
  },
  {
    name: 'msteams-url',
    kind: 'string',
    defaultText: '"" (env MSTEAMS_URL overrides)',
    help: 'Microsoft Teams incoming webhook URL of the global alert provider; takes precedence over -slack-url.',
    apply: (o, v) => (o.msteamsUrl = v),
  },
  {
    name: 'msteams-proxy-url',
    kind: 'string',
    defaultText: '"" (env MSTEAMS_PROXY_URL overrides)',
    help: 'HTTP(S) proxy for the global Microsoft Teams alert provider.',
    apply: (o, v) => (o.msteamsProxyUrl = v),
  },
  {
    name: 'alert-timeout',
    kind: 'duration',
    defaultText: '5s',
    help: 'Deadline of one attempt to post an alert (Flagger: 5s); up to 2 retries follow on timeouts and 5xx.',
    apply: (o, v) => (o.alertTimeoutMs = requireDuration('alert-timeout', v, 1)),
  },
  ...[
    ['ingress-annotations-prefix', 'Flagger: annotation prefix of NGINX ingresses; Linnet routes with Istio only.'],
    ['ingress-class', 'Flagger: ingress class of NGINX ingresses; Linnet routes with Istio only.'],
    ['kubeconfig-qps', 'Flagger: client-side rate limit of the API client; Linnet does not limit client-side.'],
    ['kubeconfig-burst', 'Flagger: client-side burst of the API client; Linnet does not limit client-side.'],
  ].map(([name = '', help = '']): FlagSpec => ({
    name,
    kind: 'string',
    defaultText: '""',
    help: `Accepted for Flagger command lines, without effect. ${help}`,
    apply: (o, v) => {
      if (v !== '') o.acceptedWithoutEffect.push(name);
    },
  })),
];

const HELP_FLAGS = new Set(['h', 'help']);
const VERSION_FLAGS = new Set(['version']);

/**
 * Parse controller flags the way Go's `flag` package does (which Flagger uses): `-name value`, `-name=value`,
 * `--name` likewise; booleans take `-name` or `-name=false` (never a separate value); `--` ends the flags.
 * Unknown flags and bad values throw FlagError with the flag's name. `env` supplies EVENT_WEBHOOK_URL and, as in
 * Flagger, SLACK_URL, SLACK_TOKEN, SLACK_PROXY_URL, MSTEAMS_URL and MSTEAMS_PROXY_URL (each wins over its flag).
 */
export function parseControllerFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParsedCommandLine {
  const options = defaultOptions();
  const byName = new Map<string, FlagSpec>();
  for (const spec of FLAGS) for (const name of [spec.name, ...(spec.aliases ?? [])]) byName.set(name, spec);

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--') {
      if (index + 1 < argv.length) throw unexpectedArgument(argv[index + 1] ?? '');
      break;
    }
    if (!argument.startsWith('-') || argument === '-') throw unexpectedArgument(argument);
    const body = argument.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const name = equals >= 0 ? body.slice(0, equals) : body;
    const inlineValue = equals >= 0 ? body.slice(equals + 1) : undefined;
    if (HELP_FLAGS.has(name)) return { kind: 'help', usage: usage() };
    if (VERSION_FLAGS.has(name)) return { kind: 'version' };
    const spec = byName.get(name);
    if (!spec) {
      throw new FlagError('UnknownFlag', name, `unknown flag -${name} (run with -help to list the flags)`);
    }
    let value = inlineValue;
    if (value === undefined) {
      if (spec.kind === 'boolean') value = 'true';
      else {
        const next = argv[index + 1];
        if (next === undefined) throw new FlagError('MissingFlagValue', name, `flag -${name} needs a value`);
        value = next;
        index++;
      }
    }
    spec.apply(options, value);
  }

  const webhookFromEnv = env.EVENT_WEBHOOK_URL;
  if (webhookFromEnv) options.eventWebhook = requireUrl('event-webhook', webhookFromEnv);
  if (!options.leaderElectionNamespace) options.leaderElectionNamespace = options.namespaces[0] ?? 'kube-system';
  applyGlobalAlertProvider(options, env);
  return { kind: 'run', options };
}

/** The global alert provider's settings from the environment (which wins, as in Flagger), then validated. */
function applyGlobalAlertProvider(options: ControllerOptions, env: Readonly<Record<string, string | undefined>>): void {
  options.slackUrl = env.SLACK_URL || options.slackUrl;
  options.slackToken = env.SLACK_TOKEN || options.slackToken;
  options.slackProxyUrl = env.SLACK_PROXY_URL || options.slackProxyUrl;
  options.msteamsUrl = env.MSTEAMS_URL || options.msteamsUrl;
  options.msteamsProxyUrl = env.MSTEAMS_PROXY_URL || options.msteamsProxyUrl;
  // Values are not echoed: a webhook URL is a credential.
  for (const [flag, value] of [
    ['slack-url', options.slackUrl],
    ['slack-proxy-url', options.slackProxyUrl],
    ['msteams-url', options.msteamsUrl],
    ['msteams-proxy-url', options.msteamsProxyUrl],
  ] as const) {
    if (value !== '' && !isHttpUrl(value)) {
      throw new FlagError('InvalidFlagValue', flag, `-${flag} (or its environment variable): expected an http(s) URL`);
    }
  }
  // Flagger logs "empty Slack channel" and then sends nothing; Linnet refuses to start instead.
  if (options.slackUrl && !options.msteamsUrl) {
    if (!options.slackChannel) {
      throw new FlagError(
        'InvalidFlagValue',
        'slack-channel',
        '-slack-url needs -slack-channel (the channel to post to)',
      );
    }
    if (!options.slackUser) {
      throw new FlagError('InvalidFlagValue', 'slack-user', '-slack-url needs a non-empty -slack-user');
    }
  }
}

export function usage(): string {
  const lines = ['Usage: linnet-controller [flags]', ''];
  for (const spec of FLAGS) {
    const names = [spec.name, ...(spec.aliases ?? [])].map((name) => `-${name}`).join(', ');
    const placeholder = spec.kind === 'boolean' ? '' : ` ${PLACEHOLDERS[spec.kind]}`;
    lines.push(`  ${names}${placeholder}`, `        ${spec.help} (default ${spec.defaultText})`);
  }
  lines.push('  -version', '        Print the version and exit.', '  -help', '        Print this help.');
  return `${lines.join('\n')}\n`;
}

const PLACEHOLDERS: Record<Exclude<FlagKind, 'boolean'>, string> = {
  string: 'string',
  integer: 'int',
  list: 'string',
  duration: 'duration',
};

function unexpectedArgument(argument: string): FlagError {
  return new FlagError('UnknownFlag', argument, `unexpected argument "${argument}": the controller takes only flags`);
}

function requireBoolean(flag: string, value: string): boolean {
  // The spellings Go's strconv.ParseBool accepts.
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new FlagError('InvalidFlagValue', flag, `-${flag}=${value}: expected true or false`);
}

/** "" (all namespaces) or a comma-separated list of namespace names. */
function requireNamespaces(flag: string, value: string): string[] {
  if (value.trim() === '') return [];
  const names = value.split(',').map((name) => name.trim());
  const invalid = names.find((name) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name));
  if (invalid !== undefined) {
    throw new FlagError('InvalidFlagValue', flag, `-${flag}=${value}: "${invalid}" is not a namespace name`);
  }
  return [...new Set(names)];
}

function requireInteger(flag: string, value: string, min: number, max: number): number {
  const parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new FlagError('InvalidFlagValue', flag, `-${flag}=${value}: expected an integer from ${min} to ${max}`);
  }
  return parsed;
}

/** A Go duration ("10s", "1m30s") of at least `minMs` milliseconds. */
function requireDuration(flag: string, value: string, minMs: number): number {
  const ms = tryParseDuration(value.trim());
  // A timer cannot hold more than MAX_TIMER_MS (≈ 24.8 days): Node would fire it at once.
  if (ms === undefined || ms < minMs || ms > MAX_TIMER_MS) {
    throw new FlagError('InvalidFlagValue', flag, `-${flag}=${value}: expected a duration such as 1s, 10s or 1m`);
  }
  return ms;
}

function requireUrl(flag: string, value: string): string {
  if (isHttpUrl(value)) return value;
  throw new FlagError('InvalidFlagValue', flag, `-${flag}=${value}: expected an http(s) URL`);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An image reference: no white space, not empty. */
function requireImage(flag: string, value: string): string {
  if (/^\S+$/.test(value)) return value;
  throw new FlagError('InvalidFlagValue', flag, `-${flag}=${value}: expected an image reference such as repo/name:tag`);
}

function requireLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (!level) {
    throw new FlagError(
      'InvalidFlagValue',
      'log-level',
      `-log-level=${value}: expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  return level;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function requireGatewayList(value: string): string[] {
  const gateways = splitList(value);
  const unqualified = gateways.find((gateway) => !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(gateway));
  if (unqualified !== undefined) {
    throw new FlagError(
      'InvalidFlagValue',
      OPT_IN_POLICY_FLAGS.allowedGateways,
      `-${OPT_IN_POLICY_FLAGS.allowedGateways}: "${unqualified}" must be namespace/name`,
    );
  }
  return gateways;
}

function requireUrlPatternList(value: string): string[] {
  const patterns = splitList(value);
  const malformed = patterns.find((pattern) => !/^[a-z][a-z0-9+.-]*:\/\/[^/:]+(:(\*|\d+))?(\/.*)?$/i.test(pattern));
  if (malformed !== undefined) {
    throw new FlagError(
      'InvalidFlagValue',
      OPT_IN_POLICY_FLAGS.allowedWebhookUrlPatterns,
      `-${OPT_IN_POLICY_FLAGS.allowedWebhookUrlPatterns}: "${malformed}" must be scheme://host-pattern[:port|:*][/path]`,
    );
  }
  return patterns;
}

function requireNonEmptyList(flag: string, value: string): string[] {
  const items = splitList(value);
  if (items.length === 0) throw new FlagError('InvalidFlagValue', flag, `-${flag} needs at least one value`);
  return items;
}
