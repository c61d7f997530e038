import { describe, expect, it } from '@jest/globals';
import type { CanarySpec } from '../schema/canary.ts';
import { DEFAULT_OPT_IN_POLICY, checkOptInPolicy, type OptInPolicy } from './opt-in-policy.ts';

const workload = (annotations: Record<string, string> = {}) => ({ namespace: 'webapp', annotations });

function spec(overrides: Partial<CanarySpec> & { webhookUrls?: string[] } = {}): CanarySpec {
  const { webhookUrls = [], ...rest } = overrides;
  return {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
    service: { port: 8080 },
    analysis: { interval: '1m', webhooks: webhookUrls.map((url, index) => ({ name: `hook-${index}`, url })) },
    ...rest,
  } as CanarySpec;
}

describe('checkOptInPolicy with the default policy (the seed shape)', () => {
  it('allows the mesh, hosts and test loaders in the workload namespace', () => {
    expect(
      checkOptInPolicy(
        spec({
          service: { port: 8080, gateways: ['mesh'], hosts: ['backend', 'backend.webapp', 'backend.webapp.svc'] },
          webhookUrls: ['http://backend-testloader.webapp:8080/', 'http://shared.webapp.svc.cluster.local/'],
        }),
        workload(),
        DEFAULT_OPT_IN_POLICY,
      ),
    ).toEqual([]);
  });

  it('refuses gateways the operator did not list, naming the policy flag and the annotation', () => {
    expect(
      checkOptInPolicy(
        spec({ service: { port: 8080, gateways: ['istio-system/public-gateway', 'mesh'] } }),
        workload({ 'linnet.dev/gateways': 'istio-system/public-gateway,mesh' }),
        DEFAULT_OPT_IN_POLICY,
      ),
    ).toEqual([
      {
        annotation: 'linnet.dev/gateways',
        message:
          'gateway "istio-system/public-gateway" is not allowed by the operator\'s opt-in policy (-opt-in-allowed-gateways: none)',
      },
    ]);
  });

  it.each([
    ['a host outside the namespace', 'backend.other'],
    ['a public name', 'app.example.com'],
    ['another namespace whose name ends like this one', 'backend.webapp.evil.svc'],
  ])('refuses %s', (_what, host) => {
    expect(
      checkOptInPolicy(spec({ service: { port: 8080, hosts: [host] } }), workload(), DEFAULT_OPT_IN_POLICY),
    ).toEqual([
      { annotation: 'linnet.dev/rollout-policy', message: expect.stringMatching(/-opt-in-allowed-hosts: \*, /) },
    ]);
  });

  it.each([
    ['another namespace', 'http://loadtester.ops:8080/'],
    ['a short name (it resolves in the controller namespace)', 'http://loadtester:8080/'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['https outside the patterns', 'https://backend-testloader.webapp/'],
    ['user info that would smuggle another host', 'http://backend.webapp@evil.example.com/'],
    ['not a URL', 'backend-testloader:8080'],
  ])('refuses a webhook URL in %s', (_what, url) => {
    expect(
      checkOptInPolicy(
        spec({ webhookUrls: [url] }),
        workload({ 'linnet.dev/load-tester-url': url }),
        DEFAULT_OPT_IN_POLICY,
      ),
    ).toEqual([
      { annotation: 'linnet.dev/load-tester-url', message: expect.stringMatching(/-opt-in-allowed-webhook-urls/) },
    ]);
  });

  it('refuses a metrics server and MetricTemplates from other namespaces', () => {
    const problems = checkOptInPolicy(
      spec({
        metricsServer: 'http://prometheus.other:9090',
        analysis: {
          interval: '1m',
          metrics: [{ name: 'errors', templateRef: { name: 'errors', namespace: 'other' } }],
        },
      } as Partial<CanarySpec>),
      workload(),
      DEFAULT_OPT_IN_POLICY,
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      'metrics server "http://prometheus.other:9090" is not allowed by the operator\'s opt-in policy (-opt-in-allowed-metrics-servers: none)',
      "metric errors with a MetricTemplate in namespace other is not allowed by the operator's opt-in policy (-opt-in-allowed-metrics-servers: none)",
    ]);
  });
});

describe('checkOptInPolicy with an operator policy', () => {
  const policy: OptInPolicy = {
    allowedGateways: ['istio-system/public-gateway'],
    allowedHostPatterns: ['*.example.com'],
    allowedWebhookUrlPatterns: ['http://*.ops:8080/hooks/', 'https://loadtester.{namespace}'],
    allowedMetricsServers: ['http://thanos.monitoring:9090'],
  };

  it('allows what it lists', () => {
    expect(
      checkOptInPolicy(
        spec({
          service: { port: 8080, gateways: ['istio-system/public-gateway'], hosts: ['app.example.com'] },
          metricsServer: 'http://thanos.monitoring:9090',
          webhookUrls: ['http://lt.ops:8080/hooks/load', 'https://loadtester.webapp/'],
        }),
        workload(),
        policy,
      ),
    ).toEqual([]);
  });

  it('checks ports, path prefixes and qualifies short gateway names with the workload namespace', () => {
    const problems = checkOptInPolicy(
      spec({
        service: { port: 8080, gateways: ['public-gateway'], hosts: ['a.b.example.com'] },
        webhookUrls: ['http://lt.ops:9090/hooks/', 'http://lt.ops:8080/other', 'https://loadtester.webapp:8443/'],
      }),
      workload(),
      policy,
    );
    expect(problems).toHaveLength(5);
  });
});
