import {
  parseDuration,
  parseHttpUrl,
  parseIntegerBetween,
  parseList,
  parseNonEmpty,
  parseNumberBetween,
  parsePortNumberOrName,
  parseServicePortName,
  parseStepWeights,
  type ParsedValue,
} from './annotation-values.ts';

// The annotations that opt a Deployment or DaemonSet into progressive delivery, and the defaults that make a
// sensible rollout when only `linnet.dev/canary: enabled` is set. docs/annotations.md documents this table.

export const ANNOTATION_PREFIX = 'linnet.dev/';
export const OPT_IN_ANNOTATION = 'linnet.dev/canary';
export const OPT_IN_ENABLED = 'enabled';
export const OPT_IN_DISABLED = 'disabled';
export const ROLLOUT_POLICY_ANNOTATION = 'linnet.dev/rollout-policy';
/** Label on every Canary Linnet generated from annotations; Canaries without it are never touched by the opt-in. */
export const MANAGED_BY_ANNOTATIONS_LABEL = 'linnet.dev/managed-by-annotations';

export const OPT_IN_DEFAULTS = {
  interval: '1m',
  threshold: 5,
  stepWeight: 10,
  maxWeight: 50,
  successRateMin: 99,
  latencyMaxMs: 500,
  metricInterval: '1m',
  loadTestTimeout: '60s',
} as const;

/** What the annotations of one workload say, before defaults; a field is set only when its annotation is. */
export interface OptInSettings {
  port?: number;
  targetPort?: number | string;
  portName?: string;
  interval?: string;
  threshold?: number;
  stepWeight?: number;
  maxWeight?: number;
  stepWeights?: number[];
  stepWeightPromotion?: number;
  iterations?: number;
  successRateMin?: number;
  latencyMaxMs?: number;
  metricInterval?: string;
  gateways?: string[];
  hosts?: string[];
  timeout?: string;
  loadTest?: string;
  loadTesterUrl?: string;
  loadTestTimeout?: string;
  rolloutPolicy?: unknown;
}

export interface OptInAnnotationReference {
  name: string;
  /** The value used when the annotation is absent, as documented. */
  default: string;
  description: string;
}

interface AnnotationDefinition extends OptInAnnotationReference {
  /** Stores the parsed value in `settings`; returns what is wrong with the text otherwise. */
  read(text: string, settings: OptInSettings): string | undefined;
}

function define<T>(
  reference: OptInAnnotationReference,
  parse: (text: string) => ParsedValue<T>,
  store: (settings: OptInSettings, value: T) => void,
): AnnotationDefinition {
  return {
    ...reference,
    read(text, settings) {
      const parsed = parse(text);
      if (!parsed.ok) return parsed.message;
      store(settings, parsed.value);
      return undefined;
    },
  };
}

function parseJsonObject(text: string): ParsedValue<unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value };
    return { ok: false, message: 'must be a JSON object (a Kurator rolloutPolicy)' };
  } catch (error) {
    return { ok: false, message: `must be JSON (a Kurator rolloutPolicy): ${(error as Error).message}` };
  }
}

const D = OPT_IN_DEFAULTS;

const DEFINITIONS: readonly AnnotationDefinition[] = [
  {
    name: OPT_IN_ANNOTATION,
    default: '(absent: not opted in)',
    description: `"${OPT_IN_ENABLED}" opts the workload in; "${OPT_IN_DISABLED}" or removing it opts out`,
    // Read separately, before everything else: it decides whether the others matter.
    read: () => undefined,
  },
  define(
    {
      name: ROLLOUT_POLICY_ANNOTATION,
      default: '(none)',
      description:
        'A Kurator rolloutPolicy as JSON (trafficAnalysis, trafficRouting, rolloutTimeoutSeconds, ...; ' +
        'rollout-level testLoader and port may sit next to them). It replaces the defaults below (a policy with ' +
        'neither canaryStrategy nor analysisTimes still gets step weight 10 up to 50); the other annotations, ' +
        'when set, override the fields they name',
    },
    parseJsonObject,
    (settings, value) => (settings.rolloutPolicy = value),
  ),
  define(
    {
      name: 'linnet.dev/port',
      default: "the first containerPort of the workload's containers",
      description: 'Port of the generated Services (spec.service.port)',
    },
    (text) => parseIntegerBetween(text, 1, 65535),
    (settings, value) => (settings.port = value),
  ),
  define(
    {
      name: 'linnet.dev/target-port',
      default: 'the port',
      description: 'Container port number or name the Services send to (spec.service.targetPort)',
    },
    parsePortNumberOrName,
    (settings, value) => (settings.targetPort = value),
  ),
  define(
    {
      name: 'linnet.dev/port-name',
      default: 'http',
      description: 'Name of the Service port; grpc for gRPC (spec.service.portName)',
    },
    parseServicePortName,
    (settings, value) => (settings.portName = value),
  ),
  define(
    {
      name: 'linnet.dev/interval',
      default: D.interval,
      description: 'Time between analysis checks (spec.analysis.interval)',
    },
    parseDuration,
    (settings, value) => (settings.interval = value),
  ),
  define(
    {
      name: 'linnet.dev/threshold',
      default: String(D.threshold),
      description: 'Failed checks that roll the canary back (spec.analysis.threshold)',
    },
    (text) => parseIntegerBetween(text, 1, 1000),
    (settings, value) => (settings.threshold = value),
  ),
  define(
    {
      name: 'linnet.dev/step-weight',
      default: String(D.stepWeight),
      description: 'Canary weight added after each successful check (spec.analysis.stepWeight)',
    },
    (text) => parseIntegerBetween(text, 1, 100),
    (settings, value) => (settings.stepWeight = value),
  ),
  define(
    {
      name: 'linnet.dev/max-weight',
      default: String(D.maxWeight),
      description: 'Canary weight at which the canary is promoted (spec.analysis.maxWeight)',
    },
    (text) => parseIntegerBetween(text, 1, 100),
    (settings, value) => (settings.maxWeight = value),
  ),
  define(
    {
      name: 'linnet.dev/step-weights',
      default: '(none)',
      description:
        'Increasing canary weights, e.g. "1,5,10,50", instead of step-weight; the last one is where the canary ' +
        'is promoted (spec.analysis.stepWeights)',
    },
    parseStepWeights,
    (settings, value) => (settings.stepWeights = value),
  ),
  define(
    {
      name: 'linnet.dev/step-weight-promotion',
      default: '(none: all traffic at once)',
      description: 'Primary weight added per step while promoting (spec.analysis.stepWeightPromotion)',
    },
    (text) => parseIntegerBetween(text, 1, 100),
    (settings, value) => (settings.stepWeightPromotion = value),
  ),
  define(
    {
      name: 'linnet.dev/iterations',
      default: '(none)',
      description: 'Number of checks of a blue/green rollout, instead of step weights (spec.analysis.iterations)',
    },
    (text) => parseIntegerBetween(text, 1, 1000),
    (settings, value) => (settings.iterations = value),
  ),
  define(
    {
      name: 'linnet.dev/success-rate-min',
      default: String(D.successRateMin),
      description: 'Lowest accepted percentage of non-5xx responses (built-in metric request-success-rate)',
    },
    (text) => parseNumberBetween(text, 0, 100),
    (settings, value) => (settings.successRateMin = value),
  ),
  define(
    {
      name: 'linnet.dev/latency-max-ms',
      default: String(D.latencyMaxMs),
      description: 'Highest accepted P99 latency in milliseconds (built-in metric request-duration)',
    },
    (text) => parseNumberBetween(text, 1, 3_600_000),
    (settings, value) => (settings.latencyMaxMs = value),
  ),
  define(
    {
      name: 'linnet.dev/metric-interval',
      default: D.metricInterval,
      description: 'Query window of the two built-in metrics (spec.analysis.metrics[].interval)',
    },
    parseDuration,
    (settings, value) => (settings.metricInterval = value),
  ),
  define(
    {
      name: 'linnet.dev/gateways',
      default: '(none: mesh)',
      description: 'Comma-separated Istio gateways, e.g. "istio-system/public-gateway" (spec.service.gateways)',
    },
    parseList,
    (settings, value) => (settings.gateways = value),
  ),
  define(
    {
      name: 'linnet.dev/hosts',
      default: '(none: the Service name)',
      description: 'Comma-separated VirtualService hosts, e.g. "app.example.com" (spec.service.hosts)',
    },
    parseList,
    (settings, value) => (settings.hosts = value),
  ),
  define(
    {
      name: 'linnet.dev/timeout',
      default: '(none)',
      description: 'HTTP request timeout of the route (spec.service.timeout)',
    },
    parseDuration,
    (settings, value) => (settings.timeout = value),
  ),
  define(
    {
      name: 'linnet.dev/load-test',
      default: '(none: no load test)',
      description:
        'A hey command the test loader runs during each check, e.g. "hey -z 1m -q 10 -c 2 ' +
        'http://app-canary.ns:8080/" (a rollout webhook named load-test, metadata type cmd)',
    },
    parseNonEmpty,
    (settings, value) => (settings.loadTest = value),
  ),
  define(
    {
      name: 'linnet.dev/load-tester-url',
      default: 'http://<workload>-testloader.<namespace>:8080/',
      description: 'The test loader that runs the load test (also for the rollout-policy commands)',
    },
    parseHttpUrl,
    (settings, value) => (settings.loadTesterUrl = value),
  ),
  define(
    {
      name: 'linnet.dev/load-test-timeout',
      default: D.loadTestTimeout,
      description: 'Timeout of the load-test webhook call',
    },
    parseDuration,
    (settings, value) => (settings.loadTestTimeout = value),
  ),
];

const DEFINITION_BY_NAME = new Map(DEFINITIONS.map((definition) => [definition.name, definition]));

/** Every opt-in annotation with its default and meaning, in documentation order. */
export const OPT_IN_ANNOTATIONS: readonly OptInAnnotationReference[] = DEFINITIONS.map(
  ({ name, default: defaultText, description }) => ({ name, default: defaultText, description }),
);

export function findAnnotationDefinition(name: string): AnnotationDefinition | undefined {
  return DEFINITION_BY_NAME.get(name);
}
