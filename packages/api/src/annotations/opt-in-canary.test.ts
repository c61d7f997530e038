import { describe, expect, it } from '@jest/globals';
import { validateCanary } from '../validation/validate-resources.ts';
import { SEED_APPLICATION_JSON } from '../kurator/seed-application.fixture.ts';
import { SEED_KURATOR_CANARY } from '../kurator/seed-canary.fixture.ts';
import { describeAnnotationProblem, parseOptInAnnotations, type OptInWorkload } from './opt-in-canary.ts';

function workload(annotations: Record<string, string>, kind: OptInWorkload['kind'] = 'Deployment'): OptInWorkload {
  return {
    kind,
    metadata: { name: 'backend', namespace: 'webapp', annotations },
    spec: {
      template: {
        spec: { containers: [{}, { ports: [{ containerPort: 9898 }, { containerPort: 9999 }] }] },
      },
    },
  };
}

const enabled = { 'linnet.dev/canary': 'enabled' };

function problemsOf(annotations: Record<string, string>): string[] {
  return parseOptInAnnotations(workload({ ...enabled, ...annotations })).problems.map(describeAnnotationProblem);
}

describe('parseOptInAnnotations', () => {
  it('gives a sensible canary rollout when only the opt-in is set', () => {
    const result = parseOptInAnnotations(workload(enabled));
    expect(result.problems).toEqual([]);
    expect(result.canary).toEqual({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'backend', namespace: 'webapp' },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
        revertOnDeletion: true,
        service: { port: 9898 },
        analysis: {
          interval: '1m',
          threshold: 5,
          maxWeight: 50,
          stepWeight: 10,
          metrics: [
            { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
            { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
          ],
        },
      },
    });
    expect(validateCanary(result.canary)).toEqual([]);
    expect(result.privateTestLoader).toBeUndefined();
  });

  it('ignores a workload that has not opted in, or has opted out', () => {
    expect(parseOptInAnnotations(workload({ 'linnet.dev/step-weight': 'ten' }))).toEqual({
      optedIn: false,
      problems: [],
    });
    expect(parseOptInAnnotations(workload({ 'linnet.dev/canary': 'disabled' }))).toEqual({
      optedIn: false,
      problems: [],
    });
    expect(parseOptInAnnotations(workload({ 'linnet.dev/canary': 'yes' })).problems).toEqual([
      { annotation: 'linnet.dev/canary', message: 'must be "enabled" or "disabled" (got "yes")' },
    ]);
  });

  it('applies every annotation', () => {
    const result = parseOptInAnnotations(
      workload(
        {
          ...enabled,
          'linnet.dev/port': '80',
          'linnet.dev/target-port': 'http',
          'linnet.dev/port-name': 'grpc',
          'linnet.dev/interval': '30s',
          'linnet.dev/threshold': '3',
          'linnet.dev/step-weight': '20',
          'linnet.dev/max-weight': '60',
          'linnet.dev/step-weight-promotion': '50',
          'linnet.dev/success-rate-min': '99.5',
          'linnet.dev/latency-max-ms': '250',
          'linnet.dev/metric-interval': '2m',
          'linnet.dev/gateways': 'istio-system/public-gateway, mesh',
          'linnet.dev/hosts': 'backend.webapp,backend.example.com',
          'linnet.dev/timeout': '15s',
          'linnet.dev/load-test': 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/',
          'linnet.dev/load-test-timeout': '90s',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
        'DaemonSet',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.canary?.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'backend' },
      revertOnDeletion: true,
      service: {
        port: 80,
        targetPort: 'http',
        portName: 'grpc',
        gateways: ['istio-system/public-gateway', 'mesh'],
        hosts: ['backend.webapp', 'backend.example.com'],
        timeout: '15s',
      },
      analysis: {
        interval: '30s',
        threshold: 3,
        stepWeightPromotion: 50,
        stepWeight: 20,
        maxWeight: 60,
        metrics: [
          { name: 'request-success-rate', interval: '2m', thresholdRange: { min: 99.5 } },
          { name: 'request-duration', interval: '2m', thresholdRange: { max: 250 } },
        ],
        webhooks: [
          {
            name: 'load-test',
            type: 'rollout',
            url: 'http://backend-testloader.webapp:8080/',
            timeout: '90s',
            metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/' },
          },
        ],
      },
    });
    expect(result.privateTestLoader).toEqual({
      name: 'backend-testloader',
      namespace: 'webapp',
      url: 'http://backend-testloader.webapp:8080/',
    });
    expect(validateCanary(result.canary)).toEqual([]);
  });

  it('uses step weights or iterations instead of the default step weight', () => {
    const steps = parseOptInAnnotations(workload({ ...enabled, 'linnet.dev/step-weights': '1, 5,10' }));
    expect(steps.canary?.spec.analysis).toMatchObject({ stepWeights: [1, 5, 10] });
    expect(steps.canary?.spec.analysis).not.toHaveProperty('stepWeight');
    expect(steps.canary?.spec.analysis).not.toHaveProperty('maxWeight');

    const blueGreen = parseOptInAnnotations(workload({ ...enabled, 'linnet.dev/iterations': '4' }));
    expect(blueGreen.problems).toEqual([]);
    expect(blueGreen.canary?.spec.analysis).toMatchObject({ iterations: 4 });
    expect(blueGreen.canary?.spec.analysis).not.toHaveProperty('stepWeight');
    expect(validateCanary(blueGreen.canary)).toEqual([]);
  });

  it('sends the load test to the load tester given', () => {
    const result = parseOptInAnnotations(
      workload({ ...enabled, 'linnet.dev/load-test': 'hey http://x/', 'linnet.dev/load-tester-url': 'http://lt.ops/' }),
    );
    expect(result.canary?.spec.analysis?.webhooks?.[0]?.url).toBe('http://lt.ops/');
    expect(result.privateTestLoader).toBeUndefined();
  });

  it.each([
    ['linnet.dev/step-weight', 'ten', 'linnet.dev/step-weight: must be an integer between 1 and 100 (got "ten")'],
    ['linnet.dev/step-weight', '0', 'linnet.dev/step-weight: must be an integer between 1 and 100 (got "0")'],
    ['linnet.dev/max-weight', '101', 'linnet.dev/max-weight: must be an integer between 1 and 100 (got "101")'],
    ['linnet.dev/port', '70000', 'linnet.dev/port: must be an integer between 1 and 65535 (got "70000")'],
    [
      'linnet.dev/port-name',
      'UPPER',
      'linnet.dev/port-name: must be a DNS label: at most 63 lowercase letters, digits and dashes, starting and ' +
        'ending with a letter or digit (got "UPPER")',
    ],
    ['linnet.dev/threshold', '2.5', 'linnet.dev/threshold: must be an integer between 1 and 1000 (got "2.5")'],
    [
      'linnet.dev/interval',
      'soon',
      'linnet.dev/interval: must be a positive duration such as 30s, 1m or 1m30s (got "soon")',
    ],
    [
      'linnet.dev/interval',
      '0s',
      'linnet.dev/interval: must be a positive duration such as 30s, 1m or 1m30s (got "0s")',
    ],
    [
      'linnet.dev/interval',
      '5256000m',
      'linnet.dev/interval: must be at most 596h31m23.647s (2^31−1 ms, about 24.8 days: the longest wait a timer ' +
        'can hold) (got "5256000m")',
    ],
    [
      'linnet.dev/metric-interval',
      '99999999999999999999m',
      'linnet.dev/metric-interval: must be at most 596h31m23.647s (2^31−1 ms, about 24.8 days: the longest wait a ' +
        'timer can hold) (got "99999999999999999999m")',
    ],
    [
      'linnet.dev/load-test-timeout',
      '36000m',
      'linnet.dev/load-test-timeout: must be at most 596h31m23.647s (2^31−1 ms, about 24.8 days: the longest wait ' +
        'a timer can hold) (got "36000m")',
    ],
    [
      'linnet.dev/interval',
      '1h',
      'linnet.dev/interval: must be written in seconds or minutes, e.g. 90s or 1m30s (got "1h")',
    ],
    [
      'linnet.dev/step-weights',
      '10,5',
      'linnet.dev/step-weights: must be increasing integers from 1 to 100 separated by commas, e.g. "1,5,10,50" ' +
        '(got "10,5")',
    ],
    [
      'linnet.dev/success-rate-min',
      '101',
      'linnet.dev/success-rate-min: must be a number between 0 and 100 (got "101")',
    ],
    [
      'linnet.dev/gateways',
      'a,,b',
      'linnet.dev/gateways: must be a comma-separated list with no empty items (got "a,,b")',
    ],
    [
      'linnet.dev/load-tester-url',
      'testloader:8080',
      'linnet.dev/load-tester-url: must be an absolute http:// or https:// URL (got "testloader:8080")',
    ],
    ['linnet.dev/load-test', ' ', 'linnet.dev/load-test: must not be empty (got " ")'],
    [
      'linnet.dev/stepweight',
      '10',
      'linnet.dev/stepweight: is not a Linnet annotation (did you mean linnet.dev/step-weight?)',
    ],
    ['linnet.dev/colour', 'blue', 'linnet.dev/colour: is not a Linnet annotation'],
  ])('reports a malformed %s: %j', (annotation, value, expected) => {
    expect(problemsOf({ [annotation]: value })).toEqual([expected]);
    expect(parseOptInAnnotations(workload({ ...enabled, [annotation]: value })).canary).toBeUndefined();
  });

  it('reports annotations that contradict each other', () => {
    expect(problemsOf({ 'linnet.dev/step-weight': '5', 'linnet.dev/step-weights': '1,2' })).toEqual([
      'linnet.dev/step-weights: cannot be combined with linnet.dev/step-weight: set only one of them',
    ]);
    expect(problemsOf({ 'linnet.dev/iterations': '5', 'linnet.dev/max-weight': '20' })).toEqual([
      'linnet.dev/iterations: cannot be combined with linnet.dev/max-weight: iterations selects a blue/green ' +
        'rollout, step weights a canary rollout',
    ]);
  });

  it('needs a port when the containers declare none', () => {
    const portless: OptInWorkload = {
      kind: 'Deployment',
      metadata: { name: 'w', namespace: 'n', annotations: enabled },
    };
    expect(parseOptInAnnotations(portless).problems.map(describeAnnotationProblem)).toEqual([
      "linnet.dev/port: is required: the workload's containers declare no containerPort to default to",
    ]);
    const withPort = parseOptInAnnotations({
      ...portless,
      metadata: { ...portless.metadata, annotations: { ...enabled, 'linnet.dev/port': '8080' } },
    });
    expect(withPort.canary?.spec.service?.port).toBe(8080);
  });

  describe('linnet.dev/rollout-policy', () => {
    const seed = JSON.parse(SEED_APPLICATION_JSON) as {
      spec: { syncPolicies: Array<{ rollout?: { rolloutPolicy: Record<string, unknown> } }> };
    };
    const seedPolicy = seed.spec.syncPolicies[0]?.rollout?.rolloutPolicy ?? {};

    it("takes the seed's rolloutPolicy JSON as the base", () => {
      const result = parseOptInAnnotations(
        workload({
          ...enabled,
          'linnet.dev/rollout-policy': JSON.stringify({ ...seedPolicy, testLoader: true }),
        }),
      );
      expect(result.problems).toEqual([]);
      // The same analysis the Kurator conversion renders for the seed; only the Canary around it differs.
      expect(result.canary?.spec).toEqual({
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
        progressDeadlineSeconds: 600,
        revertOnDeletion: true,
        service: {
          port: 9898,
          gateways: ['istio-system/public-gateway'],
          hosts: ['backend.webapp'],
          timeout: '60s',
        },
        analysis: SEED_KURATOR_CANARY.spec.analysis,
      });
      expect(result.privateTestLoader?.name).toBe('backend-testloader');
    });

    it('lets the other annotations override the policy', () => {
      const result = parseOptInAnnotations(
        workload({
          ...enabled,
          'linnet.dev/rollout-policy': JSON.stringify(seedPolicy),
          'linnet.dev/step-weights': '5,25,50',
          'linnet.dev/success-rate-min': '95',
          'linnet.dev/port': '8080',
        }),
      );
      expect(result.problems).toEqual([]);
      expect(result.canary?.spec.service?.port).toBe(8080);
      expect(result.canary?.spec.analysis).toMatchObject({
        stepWeights: [5, 25, 50],
        metrics: [
          { name: 'request-success-rate', interval: '90s', thresholdRange: { min: 95 } },
          { name: 'request-duration', interval: '90s', thresholdRange: { max: 500 } },
        ],
      });
      expect(result.canary?.spec.analysis).not.toHaveProperty('stepWeight');
    });

    it('completes a policy without canaryStrategy or analysisTimes with the default step weights', () => {
      const result = parseOptInAnnotations(
        workload({
          ...enabled,
          'linnet.dev/rollout-policy': JSON.stringify({ trafficAnalysis: { checkFailedTimes: 3 } }),
        }),
      );
      expect(result.problems).toEqual([]);
      expect(result.canary?.spec.analysis).toEqual({ interval: '60s', threshold: 3, stepWeight: 10, maxWeight: 50 });
    });

    it('reports malformed policies with the field at fault', () => {
      expect(problemsOf({ 'linnet.dev/rollout-policy': '{trafficAnalysis:' })[0]).toMatch(
        /^linnet\.dev\/rollout-policy: must be JSON \(a Kurator rolloutPolicy\): /,
      );
      expect(problemsOf({ 'linnet.dev/rollout-policy': '[1]' })).toEqual([
        'linnet.dev/rollout-policy: must be a JSON object (a Kurator rolloutPolicy)',
      ]);
      expect(
        problemsOf({ 'linnet.dev/rollout-policy': JSON.stringify({ trafficAnalysis: { checkFailedTimes: -1 } }) }),
      ).toEqual(['linnet.dev/rollout-policy: trafficAnalysis.checkFailedTimes: must be at least 0 (got -1)']);
      expect(
        problemsOf({ 'linnet.dev/rollout-policy': JSON.stringify({ trafficAnalysis: { checkIntervalSecond: 5 } }) }),
      ).toEqual([
        'linnet.dev/rollout-policy: trafficAnalysis.checkIntervalSecond: is not a known field and is ignored ' +
          '(did you mean checkIntervalSeconds?)',
      ]);
      expect(problemsOf({ 'linnet.dev/rollout-policy': SEED_APPLICATION_JSON })).toEqual([
        'linnet.dev/rollout-policy: must hold a rolloutPolicy (or one rollout), not a whole Kurator Application',
      ]);
    });
  });
});
