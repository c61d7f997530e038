import { describe, expect, it } from '@jest/globals';
import { DEFAULT_OPT_IN_POLICY } from '@linnet/api';
import { FlagError, parseControllerFlags, usage } from './parse-flags.ts';
import type { ControllerOptions } from './controller-options.ts';

function optionsOf(argv: string[], env: Record<string, string> = {}): ControllerOptions {
  const parsed = parseControllerFlags(argv, env);
  if (parsed.kind !== 'run') throw new Error(`expected run, got ${parsed.kind}`);
  return parsed.options;
}

function flagError(argv: string[]): FlagError {
  try {
    parseControllerFlags(argv);
  } catch (error) {
    if (error instanceof FlagError) return error;
    throw error;
  }
  throw new Error('expected a FlagError');
}

describe('parseControllerFlags', () => {
  it("has Flagger's defaults (but 16 workers; log level info)", () => {
    expect(optionsOf([])).toEqual({
      kubeconfig: '',
      metricsServer: 'http://prometheus:9090',
      namespaces: [],
      selectorLabels: ['app', 'name', 'app.kubernetes.io/name'],
      workers: 16,
      enableLeaderElection: false,
      leaderElectionNamespace: 'kube-system',
      logLevel: 'info',
      port: 8080,
      enableConfigTracking: true,
      clusterName: '',
      eventWebhook: '',
      includeLabelPrefix: [],
      meshProvider: 'istio',
      minAnalysisIntervalMs: 10_000,
      prometheusMaxAnswerBytes: 1_048_576,
      webhookMaxAnswerBytes: 65_536,
      leaderElectionLeaseDurationMs: 15_000,
      leaderElectionRenewDeadlineMs: 10_000,
      leaderElectionRetryPeriodMs: 2_000,
      testLoaderImage: 'ghcr.io/linnet/testloader:0.1.0',
      optInPolicy: DEFAULT_OPT_IN_POLICY,
      slackUrl: '',
      slackToken: '',
      slackProxyUrl: '',
      slackUser: 'flagger',
      slackChannel: '',
      msteamsUrl: '',
      msteamsProxyUrl: '',
      alertTimeoutMs: 5_000,
      acceptedWithoutEffect: [],
    });
  });

  it('sets the answer size caps of Prometheus and webhooks', () => {
    expect(optionsOf(['-prometheus-max-answer-bytes=4194304', '--webhook-max-answer-bytes', '2048'])).toMatchObject({
      prometheusMaxAnswerBytes: 4_194_304,
      webhookMaxAnswerBytes: 2_048,
    });
    expect(flagError(['-webhook-max-answer-bytes=10'])).toMatchObject({
      reason: 'InvalidFlagValue',
      flag: 'webhook-max-answer-bytes',
    });
  });

  it("takes the private test loaders' image from -test-loader-image", () => {
    expect(optionsOf(['-test-loader-image=registry.local/testloader:dev']).testLoaderImage).toBe(
      'registry.local/testloader:dev',
    );
    expect(flagError(['-test-loader-image='])).toMatchObject({ flag: 'test-loader-image' });
  });

  it('parses Go durations', () => {
    expect(
      optionsOf([
        '-min-analysis-interval=2s',
        '-leader-election-lease-duration=1m30s',
        '--leader-election-renew-deadline',
        '20s',
        '-leader-election-retry-period=500ms',
      ]),
    ).toMatchObject({
      minAnalysisIntervalMs: 2_000,
      leaderElectionLeaseDurationMs: 90_000,
      leaderElectionRenewDeadlineMs: 20_000,
      leaderElectionRetryPeriodMs: 500,
    });
    expect(flagError(['-alert-timeout=600h'])).toMatchObject({ reason: 'InvalidFlagValue', flag: 'alert-timeout' });
    expect(optionsOf(['-alert-timeout=150s']).alertTimeoutMs).toBe(150_000);
    expect(flagError(['-min-analysis-interval=10'])).toMatchObject({
      reason: 'InvalidFlagValue',
      flag: 'min-analysis-interval',
    });
  });

  it('accepts single and double dashes, "=value" and separate values', () => {
    const options = optionsOf([
      '-metrics-server=http://prom.monitoring:9090',
      '--namespace',
      'apps',
      '-selector-labels',
      'app, team ,',
      '--threadiness=4',
      '-log-level',
      'debug',
      '--port=9999',
      '-cluster-name=prod',
      '-include-label-prefix=app.kubernetes.io,team',
      '-kubeconfig',
      '/tmp/kc',
    ]);
    expect(options).toMatchObject({
      metricsServer: 'http://prom.monitoring:9090',
      namespaces: ['apps'],
      selectorLabels: ['app', 'team'],
      workers: 4,
      logLevel: 'debug',
      port: 9999,
      clusterName: 'prod',
      includeLabelPrefix: ['app.kubernetes.io', 'team'],
      kubeconfig: '/tmp/kc',
      // The lease follows -namespace when not given.
      leaderElectionNamespace: 'apps',
    });
  });

  it('reads the opt-in policy flags, each replacing its default', () => {
    expect(
      optionsOf([
        '-opt-in-allowed-gateways=istio-system/public-gateway, istio-system/internal',
        '-opt-in-allowed-hosts=*.example.com,{namespace}.internal',
        '-opt-in-allowed-webhook-urls=http://*.ops:8080/,https://hooks.example.com/linnet',
        '-opt-in-allowed-metrics-servers=http://thanos.monitoring:9090',
      ]).optInPolicy,
    ).toEqual({
      allowedGateways: ['istio-system/public-gateway', 'istio-system/internal'],
      allowedHostPatterns: ['*.example.com', '{namespace}.internal'],
      allowedWebhookUrlPatterns: ['http://*.ops:8080/', 'https://hooks.example.com/linnet'],
      allowedMetricsServers: ['http://thanos.monitoring:9090'],
    });
    expect(flagError(['-opt-in-allowed-gateways=public-gateway'])).toMatchObject({
      reason: 'InvalidFlagValue',
      flag: 'opt-in-allowed-gateways',
      message: '-opt-in-allowed-gateways: "public-gateway" must be namespace/name',
    });
    expect(flagError(['-opt-in-allowed-webhook-urls=ops-loadtester'])).toMatchObject({
      reason: 'InvalidFlagValue',
      flag: 'opt-in-allowed-webhook-urls',
    });
  });

  it('watches a comma-separated list of namespaces; the lease goes to the first', () => {
    expect(optionsOf(['-namespace=apps, payments,apps'])).toMatchObject({
      namespaces: ['apps', 'payments'],
      leaderElectionNamespace: 'apps',
    });
    expect(optionsOf(['-namespace=']).namespaces).toEqual([]);
    expect(flagError(['-namespace=apps,,payments'])).toMatchObject({ reason: 'InvalidFlagValue', flag: 'namespace' });
    expect(flagError(['-namespace=Apps']).message).toBe('-namespace=Apps: "Apps" is not a namespace name');
  });

  it('treats -workers as -threadiness', () => {
    expect(optionsOf(['-workers', '3']).workers).toBe(3);
  });

  it('parses booleans like Go: bare means true, =false turns off, no separate value', () => {
    expect(optionsOf(['-enable-leader-election']).enableLeaderElection).toBe(true);
    expect(optionsOf(['--enable-config-tracking=false']).enableConfigTracking).toBe(false);
    expect(optionsOf(['-enable-leader-election=1', '-leader-election-namespace=linnet'])).toMatchObject({
      enableLeaderElection: true,
      leaderElectionNamespace: 'linnet',
    });
    expect(flagError(['-enable-leader-election', 'false'])).toMatchObject({ reason: 'UnknownFlag', flag: 'false' });
  });

  it('lets EVENT_WEBHOOK_URL override -event-webhook', () => {
    expect(optionsOf(['-event-webhook=http://a.example/hook']).eventWebhook).toBe('http://a.example/hook');
    expect(
      optionsOf(['-event-webhook=http://a.example/hook'], { EVENT_WEBHOOK_URL: 'https://b.example/x' }).eventWebhook,
    ).toBe('https://b.example/x');
  });

  it('rejects unknown flags, missing and invalid values with the flag named', () => {
    expect(flagError(['-kubeconfig-service-mesh=/x'])).toMatchObject({
      reason: 'UnknownFlag',
      flag: 'kubeconfig-service-mesh',
    });
    expect(flagError(['-kubeconfig-service-mesh=/x']).message).toContain('unknown flag -kubeconfig-service-mesh');
    expect(flagError(['-port'])).toMatchObject({ reason: 'MissingFlagValue', flag: 'port' });
    expect(flagError(['-port=http'])).toMatchObject({ reason: 'InvalidFlagValue', flag: 'port' });
    expect(flagError(['-threadiness=0'])).toMatchObject({ reason: 'InvalidFlagValue', flag: 'threadiness' });
    expect(flagError(['-log-level=trace'])).toMatchObject({ reason: 'InvalidFlagValue', flag: 'log-level' });
    expect(flagError(['-metrics-server=prometheus:9090'])).toMatchObject({ reason: 'InvalidFlagValue' });
    expect(flagError(['-mesh-provider=linkerd'])).toMatchObject({ reason: 'InvalidFlagValue', flag: 'mesh-provider' });
    expect(flagError(['-enable-config-tracking=maybe'])).toMatchObject({ reason: 'InvalidFlagValue' });
    expect(flagError(['-selector-labels=,'])).toMatchObject({ reason: 'InvalidFlagValue' });
    expect(flagError(['positional'])).toMatchObject({ reason: 'UnknownFlag' });
  });

  it("accepts every flag Flagger's Helm chart renders into its Deployment", () => {
    // charts/flagger/templates/deployment.yaml of Flagger v1.44.0 with the alerting values and the optional ones set.
    const options = optionsOf(FLAGGER_CHART_ARGS);
    expect(options).toMatchObject({
      logLevel: 'info',
      meshProvider: 'istio',
      metricsServer: 'http://prometheus.istio-system:9090',
      slackUrl: 'https://hooks.slack.com/services/T0/B0/secret',
      slackProxyUrl: 'http://proxy.internal:3128',
      slackUser: 'flagger',
      slackChannel: 'deployments',
      msteamsUrl: 'https://example.webhook.office.com/webhookb2/secret',
      msteamsProxyUrl: 'http://proxy.internal:3128',
      enableLeaderElection: true,
      leaderElectionNamespace: 'flagger-system',
      clusterName: 'prod-eu',
      includeLabelPrefix: ['app.kubernetes.io'],
      workers: 4,
    });
    expect(options.acceptedWithoutEffect).toEqual([
      'ingress-annotations-prefix',
      'ingress-class',
      'kubeconfig-qps',
      'kubeconfig-burst',
    ]);
    // The chart's defaults render -slack-user=flagger even without Slack.
    expect(
      optionsOf(['-log-level=info', '-metrics-server=http://prometheus:9090', '-slack-user=flagger']),
    ).toMatchObject({ slackUser: 'flagger', slackUrl: '' });
  });

  it('takes the global alert provider from SLACK_* and MSTEAMS_* environment variables, which win', () => {
    const env = {
      SLACK_URL: 'https://hooks.slack.com/services/env',
      SLACK_TOKEN: 'xoxb-env',
      SLACK_PROXY_URL: 'http://proxy:3128',
    };
    expect(optionsOf(['-slack-url=https://hooks.slack.com/services/flag', '-slack-channel=ops'], env)).toMatchObject({
      slackUrl: 'https://hooks.slack.com/services/env',
      slackToken: 'xoxb-env',
      slackProxyUrl: 'http://proxy:3128',
      slackChannel: 'ops',
    });
    expect(optionsOf([], { MSTEAMS_URL: 'https://teams.example/hook' }).msteamsUrl).toBe('https://teams.example/hook');
  });

  it('refuses a global Slack provider without a channel, and URLs that are not http(s), without echoing them', () => {
    expect(flagError(['-slack-url=https://hooks.slack.com/services/x'])).toMatchObject({
      reason: 'InvalidFlagValue',
      flag: 'slack-channel',
    });
    const bad = flagError(['-msteams-url=teams.example/secret-path']);
    expect(bad).toMatchObject({ reason: 'InvalidFlagValue', flag: 'msteams-url' });
    expect(bad.message).not.toContain('secret-path');
    expect(flagError(['-slack-proxy-url=proxy:3128'])).toMatchObject({ flag: 'slack-proxy-url' });
  });

  it('answers -help with the usage and -version as such', () => {
    expect(parseControllerFlags(['-port=1', '--help'])).toEqual({ kind: 'help', usage: usage() });
    expect(usage()).toContain('-threadiness, -workers int');
    expect(parseControllerFlags(['-version'])).toEqual({ kind: 'version' });
  });
});

const FLAGGER_CHART_ARGS = [
  '-log-level=info',
  '-mesh-provider=istio',
  '-metrics-server=http://prometheus.istio-system:9090',
  '-selector-labels=app,name,app.kubernetes.io/name',
  '-enable-config-tracking=true',
  '-slack-url=https://hooks.slack.com/services/T0/B0/secret',
  '-slack-proxy-url=http://proxy.internal:3128',
  '-slack-user=flagger',
  '-slack-channel=deployments',
  '-msteams-url=https://example.webhook.office.com/webhookb2/secret',
  '-msteams-proxy-url=http://proxy.internal:3128',
  '-enable-leader-election=true',
  '-leader-election-namespace=flagger-system',
  '-ingress-annotations-prefix=custom.ingress.kubernetes.io',
  '-include-label-prefix=app.kubernetes.io',
  '-ingress-class=nginx',
  '-event-webhook=http://events.flagger-system/',
  '-kubeconfig-qps=100',
  '-kubeconfig-burst=250',
  '-threadiness=4',
  '-cluster-name=prod-eu',
];
