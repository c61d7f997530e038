import { describe, expect, it } from '@jest/globals';
import type { ValidationProblem } from './validation-problem.ts';
import { validateCanary } from './validate-resources.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function validCanary(): { [key: string]: Json } {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: {
        interval: '1m',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: [
          { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
          { name: 'request-duration', thresholdRange: { max: 500 } },
        ],
        webhooks: [{ name: 'load-test', url: 'http://flagger-loadtester.test/', timeout: '5s' }],
      },
    },
  };
}

/** Sets (or, with undefined, deletes) a value at a dotted path such as `spec.analysis.metrics.0.name`. */
function withChanges(changes: Record<string, Json | undefined>): { [key: string]: Json } {
  const canary = validCanary();
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let parent: Json = canary;
    for (const key of keys) {
      const container = parent as { [key: string]: Json };
      container[key] ??= {};
      parent = container[key];
    }
    const container = parent as { [key: string]: Json };
    if (value === undefined) delete container[last];
    else container[last] = value;
  }
  return canary;
}

const problem = (path: string, message: string): ValidationProblem => ({ path, message });
const DURATION = 'must be a duration such as 30s, 5m or 1m30s';
const TOO_LONG = 'must be at most 596h31m23.647s (2^31−1 ms, about 24.8 days: the longest wait a timer can hold)';

const invalidCanaries: [string, Record<string, Json | undefined>, ValidationProblem[]][] = [
  // identity
  [
    'wrong apiVersion',
    { apiVersion: 'flagger.app/v1alpha3' },
    [problem('apiVersion', 'must be flagger.app/v1beta1 (got "flagger.app/v1alpha3")')],
  ],
  ['wrong kind', { kind: 'Canaries' }, [problem('kind', 'must be Canary (got "Canaries")')]],
  ['missing name', { 'metadata.name': undefined }, [problem('metadata.name', 'is required')]],
  [
    'misspelt field',
    { 'spec.analysis.stepWeigth': 5 },
    [
      problem(
        'spec.analysis.stepWeigth',
        'is not a known field and would be dropped by the API server (did you mean stepWeight?)',
      ),
    ],
  ],
  [
    'unknown provider',
    { 'spec.provider': 'consul' },
    [
      problem(
        'spec.provider',
        'must be one of "apisix", "appmesh", "appmesh:v1beta2", "contour", "gatewayapi:v1", "gatewayapi:v1beta1", "gloo", "istio", "knative", "kubernetes", "kuma", "linkerd", "nginx", "osm", "skipper", "smi:v1alpha1", "smi:v1alpha2", "smi:v1alpha3", "traefik" (got "consul")',
      ),
    ],
  ],
  [
    'metricsServer not a URL',
    { 'spec.metricsServer': 'prometheus:9090' },
    [problem('spec.metricsServer', 'must be an absolute http or https URL (got "prometheus:9090")')],
  ],
  [
    'negative progress deadline',
    { 'spec.progressDeadlineSeconds': -5 },
    [problem('spec.progressDeadlineSeconds', 'must be at least 0 (got -5)')],
  ],

  // targetRef and autoscalerRef
  ['missing targetRef', { 'spec.targetRef': undefined }, [problem('spec.targetRef', 'is required')]],
  [
    'unsupported target kind',
    { 'spec.targetRef.kind': 'StatefulSet' },
    [problem('spec.targetRef.kind', 'must be one of "Deployment", "DaemonSet", "Service" (got "StatefulSet")')],
  ],
  ['empty target name', { 'spec.targetRef.name': '' }, [problem('spec.targetRef.name', 'must not be empty')]],
  [
    'scaler min above max',
    {
      'spec.autoscalerRef': {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        name: 'podinfo',
        primaryScalerReplicas: { minReplicas: 5, maxReplicas: 2 },
      },
    },
    [problem('spec.autoscalerRef.primaryScalerReplicas.maxReplicas', 'must not be less than minReplicas (got 2 < 5)')],
  ],

  // service
  ['missing service', { 'spec.service': undefined }, [problem('spec.service', 'is required')]],
  ['port 0', { 'spec.service.port': 0 }, [problem('spec.service.port', 'must be between 1 and 65535 (got 0)')]],
  [
    'port too large',
    { 'spec.service.port': 70000 },
    [problem('spec.service.port', 'must be between 1 and 65535 (got 70000)')],
  ],
  ['port as string', { 'spec.service.port': '80' }, [problem('spec.service.port', 'must be an integer (got "80")')]],
  [
    'targetPort out of range',
    { 'spec.service.targetPort': 0 },
    [problem('spec.service.targetPort', 'must be between 1 and 65535 (got 0)')],
  ],
  [
    'targetPort invalid name',
    { 'spec.service.targetPort': 'HTTP_PORT' },
    [
      problem(
        'spec.service.targetPort',
        'must be a port number or a container port name (up to 15 lowercase letters, digits and dashes) (got "HTTP_PORT")',
      ),
    ],
  ],
  [
    'targetPort boolean',
    { 'spec.service.targetPort': true },
    [problem('spec.service.targetPort', 'must be an integer or a string (got true)')],
  ],
  [
    'delegation with hosts',
    { 'spec.service.delegation': true, 'spec.service.hosts': ['app.example.com'] },
    [problem('spec.service.hosts', 'must be empty when delegation is true (a delegate VirtualService has no hosts)')],
  ],
  [
    'delegation with gateways',
    { 'spec.service.delegation': true, 'spec.service.gateways': ['mesh'] },
    [
      problem(
        'spec.service.gateways',
        'must be empty when delegation is true (a delegate VirtualService has no gateways)',
      ),
    ],
  ],
  [
    'service timeout not a duration',
    { 'spec.service.timeout': '30 seconds' },
    [problem('spec.service.timeout', `${DURATION} (got "30 seconds")`)],
  ],
  [
    'service match with two string matches',
    { 'spec.service.match': [{ uri: { exact: '/api', prefix: '/api' } }] },
    [problem('spec.service.match[0].uri', 'must set only one of exact, prefix, regex (got exact and prefix)')],
  ],
  [
    'unknown TLS mode',
    { 'spec.service.trafficPolicy': { tls: { mode: 'STRICT' } } },
    [
      problem(
        'spec.service.trafficPolicy.tls.mode',
        'must be one of "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL" (got "STRICT")',
      ),
    ],
  ],
  [
    'too many gatewayRefs',
    { 'spec.service.gatewayRefs': Array.from({ length: 33 }, (_, index) => ({ name: `gateway-${index}` })) },
    [problem('spec.service.gatewayRefs', 'must have at most 32 items (got 33)')],
  ],

  // analysis: schedule and weights
  ['missing analysis', { 'spec.analysis': undefined }, [problem('spec.analysis', 'is required')]],
  ['analysis not an object', { 'spec.analysis': 'fast' }, [problem('spec.analysis', 'must be an object (got "fast")')]],
  [
    'both analysis and canaryAnalysis',
    { 'spec.canaryAnalysis': { stepWeight: 10 } },
    [
      problem(
        'spec.canaryAnalysis',
        'must not be set together with analysis (Flagger would silently ignore it); move its fields into analysis',
      ),
    ],
  ],
  [
    'interval in hours',
    { 'spec.analysis.interval': '1h' },
    [problem('spec.analysis.interval', `${DURATION} (got "1h")`)],
  ],
  [
    'interval with trailing garbage',
    { 'spec.analysis.interval': '10mx' },
    [problem('spec.analysis.interval', `${DURATION} (got "10mx")`)],
  ],
  [
    'negative threshold',
    { 'spec.analysis.threshold': -1 },
    [problem('spec.analysis.threshold', 'must be at least 0 (got -1)')],
  ],
  [
    'fractional threshold',
    { 'spec.analysis.threshold': 1.5 },
    [problem('spec.analysis.threshold', 'must be an integer (got 1.5)')],
  ],
  [
    'negative iterations',
    { 'spec.analysis.iterations': -1 },
    [problem('spec.analysis.iterations', 'must be at least 0 (got -1)')],
  ],
  [
    'stepWeight 0',
    { 'spec.analysis.stepWeight': 0 },
    [problem('spec.analysis.stepWeight', 'must be between 1 and 100 (got 0)')],
  ],
  [
    'stepWeight above 100',
    { 'spec.analysis.stepWeight': 120 },
    [problem('spec.analysis.stepWeight', 'must be between 1 and 100 (got 120)')],
  ],
  [
    'maxWeight 0',
    { 'spec.analysis.maxWeight': 0 },
    [problem('spec.analysis.maxWeight', 'must be between 1 and 100 (got 0)')],
  ],
  [
    'maxWeight above 100',
    { 'spec.analysis.maxWeight': 150 },
    [problem('spec.analysis.maxWeight', 'must be between 1 and 100 (got 150)')],
  ],
  [
    'stepWeight and stepWeights',
    { 'spec.analysis.stepWeights': [10, 20] },
    [
      problem(
        'spec.analysis.stepWeights',
        'cannot be combined with stepWeight (Flagger would silently ignore stepWeights); set only one of them',
      ),
    ],
  ],
  [
    'stepWeights decreasing',
    { 'spec.analysis.stepWeight': undefined, 'spec.analysis.stepWeights': [1, 20, 10] },
    [problem('spec.analysis.stepWeights[2]', 'must be greater than the previous step (got 10 after 20)')],
  ],
  [
    'stepWeights repeating',
    { 'spec.analysis.stepWeight': undefined, 'spec.analysis.stepWeights': [10, 10] },
    [problem('spec.analysis.stepWeights[1]', 'must be greater than the previous step (got 10 after 10)')],
  ],
  [
    'stepWeights starting at 0',
    { 'spec.analysis.stepWeight': undefined, 'spec.analysis.stepWeights': [0, 10] },
    [problem('spec.analysis.stepWeights[0]', 'must be at least 1 (got 0)')],
  ],
  [
    'stepWeights above 100 before the end',
    { 'spec.analysis.stepWeight': undefined, 'spec.analysis.stepWeights': [10, 150, 200] },
    [
      problem(
        'spec.analysis.stepWeights[1]',
        'must be at most 100 (got 150); only the last step may be larger, and it counts as 100',
      ),
    ],
  ],
  [
    'empty stepWeights',
    { 'spec.analysis.stepWeight': undefined, 'spec.analysis.stepWeights': [] },
    [problem('spec.analysis.stepWeights', 'must not be empty')],
  ],
  [
    'no strategy',
    { 'spec.analysis.stepWeight': undefined },
    [
      problem(
        'spec.analysis',
        'needs stepWeight or stepWeights for a canary rollout, or iterations for blue/green or A/B testing',
      ),
    ],
  ],
  [
    'iterations with stepWeight',
    { 'spec.analysis.iterations': 10 },
    [
      problem(
        'spec.analysis.iterations',
        'cannot be combined with stepWeight or stepWeights: iterations selects blue/green or A/B testing, step weights select a canary rollout',
      ),
    ],
  ],
  [
    'mirrorWeight above 100',
    { 'spec.analysis.mirrorWeight': 150 },
    [problem('spec.analysis.mirrorWeight', 'must be between 0 and 100 (got 150)')],
  ],
  [
    'primaryReadyThreshold above 100',
    { 'spec.analysis.primaryReadyThreshold': 101 },
    [problem('spec.analysis.primaryReadyThreshold', 'must be between 0 and 100 (got 101)')],
  ],
  [
    'deprecated canaryAnalysis is checked under its own path',
    { 'spec.analysis': undefined, 'spec.canaryAnalysis': { stepWeights: [5, 1] } },
    [problem('spec.canaryAnalysis.stepWeights[1]', 'must be greater than the previous step (got 1 after 5)')],
  ],

  // metrics
  [
    'metric interval in hours',
    { 'spec.analysis.metrics.0.interval': '1h' },
    [problem('spec.analysis.metrics[0].interval', `${DURATION} (got "1h")`)],
  ],
  [
    'metric interval 0s',
    { 'spec.analysis.metrics.0.interval': '0s' },
    [problem('spec.analysis.metrics[0].interval', 'must be longer than 0s: it is the range of the query (got "0s")')],
  ],
  [
    'thresholdRange min above max',
    { 'spec.analysis.metrics.0.thresholdRange': { min: 99, max: 10 } },
    [problem('spec.analysis.metrics[0].thresholdRange', 'min must not be greater than max (got min 99, max 10)')],
  ],
  [
    'empty thresholdRange',
    { 'spec.analysis.metrics.0.thresholdRange': {} },
    [problem('spec.analysis.metrics[0].thresholdRange', 'must set min, max or both')],
  ],
  [
    'metric without any threshold',
    { 'spec.analysis.metrics.1.thresholdRange': undefined },
    [problem('spec.analysis.metrics[1]', 'needs a thresholdRange (min, max or both) to judge the value')],
  ],
  [
    'custom metric without query or template',
    { 'spec.analysis.metrics.1.name': 'error-rate' },
    [
      problem(
        'spec.analysis.metrics[1]',
        'needs a templateRef or a query: "error-rate" is not a built-in metric (request-success-rate, request-duration)',
      ),
    ],
  ],
  [
    'duplicate metric names',
    { 'spec.analysis.metrics.1.name': 'request-success-rate' },
    [problem('spec.analysis.metrics[1].name', 'must be unique ("request-success-rate" is already used by metrics[0])')],
  ],
  [
    'templateRef without name',
    { 'spec.analysis.metrics.1.templateRef': { namespace: 'istio-system' } },
    [problem('spec.analysis.metrics[1].templateRef.name', 'is required')],
  ],
  [
    'metric without name',
    { 'spec.analysis.metrics.1.name': undefined },
    [problem('spec.analysis.metrics[1].name', 'is required')],
  ],

  // webhooks
  [
    'relative webhook URL',
    { 'spec.analysis.webhooks.0.url': 'flagger-loadtester/' },
    [problem('spec.analysis.webhooks[0].url', 'must be an absolute http or https URL (got "flagger-loadtester/")')],
  ],
  [
    'non-http webhook URL',
    { 'spec.analysis.webhooks.0.url': 'ftp://flagger-loadtester/' },
    [
      problem(
        'spec.analysis.webhooks[0].url',
        'must be an absolute http or https URL (got "ftp://flagger-loadtester/")',
      ),
    ],
  ],
  [
    'missing webhook URL',
    { 'spec.analysis.webhooks.0.url': undefined },
    [problem('spec.analysis.webhooks[0].url', 'is required')],
  ],
  [
    'unknown webhook type',
    { 'spec.analysis.webhooks.0.type': 'pre' },
    [
      problem(
        'spec.analysis.webhooks[0].type',
        'must be one of "", "confirm-rollout", "pre-rollout", "rollout", "confirm-promotion", "post-rollout", "event", "rollback", "confirm-traffic-increase" (got "pre")',
      ),
    ],
  ],
  [
    'webhook timeout without unit',
    { 'spec.analysis.webhooks.0.timeout': '5' },
    [problem('spec.analysis.webhooks[0].timeout', `${DURATION} (got "5")`)],
  ],
  [
    'negative webhook retries',
    { 'spec.analysis.webhooks.0.retries': -1 },
    [problem('spec.analysis.webhooks[0].retries', 'must be at least 0 (got -1)')],
  ],
  [
    'duplicate webhook names',
    {
      'spec.analysis.webhooks': [
        { name: 'gate', url: 'http://a/' },
        { name: 'gate', url: 'http://b/' },
      ],
    },
    [problem('spec.analysis.webhooks[1].name', 'must be unique ("gate" is already used by webhooks[0])')],
  ],

  // alerts, session affinity, A/B match
  [
    'unknown alert severity',
    { 'spec.analysis.alerts': [{ name: 'on-call', severity: 'critical', providerRef: { name: 'slack' } }] },
    [problem('spec.analysis.alerts[0].severity', 'must be one of "", "info", "warn", "error" (got "critical")')],
  ],
  [
    'alert without providerRef',
    { 'spec.analysis.alerts': [{ name: 'on-call' }] },
    [problem('spec.analysis.alerts[0].providerRef', 'is required')],
  ],
  [
    'same cookie names',
    { 'spec.analysis.sessionAffinity': { cookieName: 'flagger', primaryCookieName: 'flagger' } },
    [problem('spec.analysis.sessionAffinity.primaryCookieName', 'must differ from cookieName (both are "flagger")')],
  ],
  [
    'session affinity without cookieName',
    { 'spec.analysis.sessionAffinity': { maxAge: 60 } },
    [problem('spec.analysis.sessionAffinity.cookieName', 'is required')],
  ],
  [
    'unknown sameSite',
    { 'spec.analysis.sessionAffinity': { cookieName: 'flagger', sameSite: 'strict' } },
    [problem('spec.analysis.sessionAffinity.sameSite', 'must be one of "Strict", "Lax", "None" (got "strict")')],
  ],
  [
    'header match without condition',
    { 'spec.analysis.match': [{ headers: { 'x-canary': {} } }] },
    [problem('spec.analysis.match[0].headers.x-canary', 'must set one of exact, prefix, suffix, regex')],
  ],
  [
    'header match with two conditions',
    { 'spec.analysis.match': [{ headers: { 'x-canary': { exact: 'insider', regex: '.*' } } }] },
    [
      problem(
        'spec.analysis.match[0].headers.x-canary',
        'must set only one of exact, prefix, suffix, regex (got exact and regex)',
      ),
    ],
  ],
  [
    'header with a dotted name',
    { 'spec.analysis.match': [{ headers: { 'x.canary': { exact: 'a', prefix: 'b' } } }] },
    [
      problem(
        'spec.analysis.match[0].headers["x.canary"]',
        'must set only one of exact, prefix, suffix, regex (got exact and prefix)',
      ),
    ],
  ],
  // durations that cannot be timed
  [
    'interval of 10 years',
    { 'spec.analysis.interval': '5256000m' },
    [problem('spec.analysis.interval', `${TOO_LONG} (got "5256000m")`)],
  ],
  [
    'interval beyond any number',
    { 'spec.analysis.interval': '99999999999999999999m' },
    [problem('spec.analysis.interval', `${TOO_LONG} (got "99999999999999999999m")`)],
  ],
  [
    'interval 0s',
    { 'spec.analysis.interval': '0s' },
    [problem('spec.analysis.interval', 'must be longer than 0s (got "0s")')],
  ],
  [
    'metric interval of 25 days',
    { 'spec.analysis.metrics.0.interval': '36000m' },
    [problem('spec.analysis.metrics[0].interval', `${TOO_LONG} (got "36000m")`)],
  ],
  [
    'webhook timeout of 25 days',
    { 'spec.analysis.webhooks.0.timeout': '36000m' },
    [problem('spec.analysis.webhooks[0].timeout', `${TOO_LONG} (got "36000m")`)],
  ],
  [
    'webhook timeout 0s',
    { 'spec.analysis.webhooks.0.timeout': '0s' },
    [problem('spec.analysis.webhooks[0].timeout', 'must be longer than 0s (got "0s")')],
  ],
  [
    'webhook retries above the cap',
    { 'spec.analysis.webhooks.0.retries': 11 },
    [
      problem(
        'spec.analysis.webhooks[0].retries',
        'must be at most 10 (got 11); a call with its retries takes at most timeout × (retries + 1)',
      ),
    ],
  ],
  [
    'progressDeadlineSeconds 0',
    { 'spec.progressDeadlineSeconds': 0 },
    [
      problem(
        'spec.progressDeadlineSeconds',
        'must be at least 1 (got 0): a deadline of 0 fails every rollout at once',
      ),
    ],
  ],
  [
    'progressDeadlineSeconds of 25 days',
    { 'spec.progressDeadlineSeconds': 2_160_000 },
    [
      problem(
        'spec.progressDeadlineSeconds',
        'must be at most 2147483 (2^31−1 ms, about 24.8 days: the longest wait a timer can hold) (got 2160000)',
      ),
    ],
  ],
  [
    'an upper-case service port name',
    { 'spec.service.portName': 'UPPER' },
    [problem('spec.service.portName', expect.stringContaining('must be a DNS label') as unknown as string)],
  ],
  [
    'an upper-case service name',
    { 'spec.service.name': 'Backend' },
    [problem('spec.service.name', expect.stringContaining('must be a DNS-1035 label') as unknown as string)],
  ],
  [
    'a CORS maxAge that is no duration',
    { 'spec.service.corsPolicy': { maxAge: 'abc' } },
    [problem('spec.service.corsPolicy.maxAge', expect.stringContaining('(got "abc")') as unknown as string)],
  ],
  [
    'a target name too long for <name>-primary',
    { 'spec.targetRef.name': 'a'.repeat(56) },
    [
      problem(
        'spec.targetRef.name',
        expect.stringContaining('would have 64 characters, more than 63 (use at most 55)') as unknown as string,
      ),
    ],
  ],
];

describe('validateCanary rejects', () => {
  it('has at least 40 cases', () => {
    expect(invalidCanaries.length).toBeGreaterThanOrEqual(40);
  });

  it.each(invalidCanaries)('%s', (_name, changes, expected) => {
    expect(validateCanary(withChanges(changes))).toEqual(expected);
  });
});

describe('validateCanary accepts', () => {
  it.each<[string, Record<string, Json | undefined>]>([
    ['the base canary', {}],
    ['skipAnalysis without analysis', { 'spec.analysis': undefined, 'spec.skipAnalysis': true }],
    [
      'the kubernetes provider without weights (it forces blue/green)',
      { 'spec.provider': 'kubernetes', 'spec.analysis.stepWeight': undefined },
    ],
    [
      'stepWeight 0 next to stepWeights (Flagger: use stepWeights)',
      { 'spec.analysis.stepWeight': 0, 'spec.analysis.stepWeights': [1, 2, 10, 80] },
    ],
    [
      'a last step above 100 (Flagger caps it)',
      { 'spec.analysis.stepWeight': undefined, 'spec.analysis.stepWeights': [1, 2, 10, 200] },
    ],
    ['a Go duration interval', { 'spec.analysis.interval': '1m30s' }],
    ['the longest interval a timer can hold', { 'spec.analysis.interval': '35791m' }],
    ['10 webhook retries', { 'spec.analysis.webhooks.0.retries': 10 }],
    ['a progress deadline of 24 days', { 'spec.progressDeadlineSeconds': 2_073_600 }],
    ['a named targetPort', { 'spec.service.targetPort': 'http-metrics' }],
    [
      'the deprecated threshold',
      { 'spec.analysis.metrics.1.thresholdRange': undefined, 'spec.analysis.metrics.1.threshold': 500 },
    ],
    [
      'a custom metric with a templateRef',
      {
        'spec.analysis.metrics.1': {
          name: 'error-rate',
          templateRef: { name: 'error-rate' },
          thresholdRange: { max: 1 },
        },
      },
    ],
    [
      'a custom metric with an inline query',
      { 'spec.analysis.metrics.1': { name: 'error-rate', query: 'vector(0)', thresholdRange: { max: 1 } } },
    ],
    ['blue/green with iterations', { 'spec.analysis.stepWeight': undefined, 'spec.analysis.iterations': 10 }],
  ])('%s', (_name, changes) => {
    expect(validateCanary(withChanges(changes))).toEqual([]);
  });
});

describe('validateCanary reports', () => {
  it('every problem at once, schema errors first', () => {
    const problems = validateCanary(
      withChanges({
        'spec.targetRef.kind': 'Job',
        'spec.service.port': 0,
        'spec.analysis.stepWeight': undefined,
        'spec.analysis.stepWeights': [50, 20],
        'spec.analysis.webhooks.0.url': 'loadtester',
      }),
    );
    expect(problems).toEqual([
      problem('spec.targetRef.kind', 'must be one of "Deployment", "DaemonSet", "Service" (got "Job")'),
      problem('spec.service.port', 'must be between 1 and 65535 (got 0)'),
      problem('spec.analysis.stepWeights[1]', 'must be greater than the previous step (got 20 after 50)'),
      problem('spec.analysis.webhooks[0].url', 'must be an absolute http or https URL (got "loadtester")'),
    ]);
  });

  it('a non-object as one problem at the root', () => {
    expect(validateCanary('kind: Canary')).toEqual([problem('', 'must be a Canary object (got "kind: Canary")')]);
  });

  it('each missing top-level field', () => {
    expect(validateCanary({})).toEqual([
      problem('apiVersion', 'is required'),
      problem('kind', 'is required'),
      problem('metadata', 'is required'),
      problem('spec', 'is required'),
    ]);
  });
});
