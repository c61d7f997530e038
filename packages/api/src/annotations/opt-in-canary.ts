import { GROUP_VERSION } from '../api-group.ts';
import { convertKuratorRollout, type PrivateTestLoader } from '../kurator/convert-kurator-rollout.ts';
import { testLoaderName, testLoaderUrl } from '../kurator/test-loader-url.ts';
import type { CanaryAnalysis, CanaryMetric, CanaryWebhook } from '../schema/canary-analysis.ts';
import type { Canary, CanarySpec } from '../schema/canary.ts';
import { validateCanary } from '../validation/validate-resources.ts';
import {
  ANNOTATION_PREFIX,
  OPT_IN_ANNOTATION,
  OPT_IN_ANNOTATIONS,
  OPT_IN_DEFAULTS,
  OPT_IN_DISABLED,
  OPT_IN_ENABLED,
  ROLLOUT_POLICY_ANNOTATION,
  findAnnotationDefinition,
  type OptInSettings,
} from './opt-in-annotations.ts';

/** The parts of a Deployment or DaemonSet the opt-in reads. */
export interface OptInWorkload {
  kind: 'Deployment' | 'DaemonSet';
  metadata: { name: string; namespace: string; annotations?: Readonly<Record<string, string>> };
  spec?: {
    template?: {
      spec?: { containers?: ReadonlyArray<{ ports?: ReadonlyArray<{ containerPort?: number }> }> };
    };
  };
}

/** One malformed annotation: `annotation` is its full name, `message` what is wrong with its value. */
export interface AnnotationProblem {
  annotation: string;
  message: string;
}

export interface OptInParseResult {
  /** `linnet.dev/canary: enabled` is set. */
  optedIn: boolean;
  /** The Canary the annotations ask for; absent when not opted in or when any annotation is malformed. */
  canary?: Canary;
  /** Set when the load tests go to the workload's own test loader, <workload>-testloader, which must exist. */
  privateTestLoader?: PrivateTestLoader;
  problems: AnnotationProblem[];
}

/** "linnet.dev/step-weight: must be an integer between 1 and 100 (got "ten")" */
export function describeAnnotationProblem(problem: AnnotationProblem): string {
  return `${problem.annotation}: ${problem.message}`;
}

export const LOAD_TEST_WEBHOOK_NAME = 'load-test';
const SUCCESS_RATE = 'request-success-rate';
const DURATION = 'request-duration';

function firstContainerPort(workload: OptInWorkload): number | undefined {
  for (const container of workload.spec?.template?.spec?.containers ?? []) {
    for (const port of container.ports ?? []) if (port.containerPort !== undefined) return port.containerPort;
  }
  return undefined;
}

function closestAnnotation(name: string): string | undefined {
  const suffix = name.slice(ANNOTATION_PREFIX.length);
  const known = OPT_IN_ANNOTATIONS.map((reference) => reference.name.slice(ANNOTATION_PREFIX.length));
  const sameLetters = (a: string, b: string): boolean => [...a].sort().join('') === [...b].sort().join('');
  const match = known.find(
    (candidate) => candidate.replaceAll('-', '') === suffix.replaceAll('-', '') || sameLetters(candidate, suffix),
  );
  return match && `${ANNOTATION_PREFIX}${match}`;
}

function readSettings(annotations: Readonly<Record<string, string>>, problems: AnnotationProblem[]): OptInSettings {
  const settings: OptInSettings = {};
  for (const [name, text] of Object.entries(annotations)) {
    if (!name.startsWith(ANNOTATION_PREFIX) || name === OPT_IN_ANNOTATION) continue;
    const definition = findAnnotationDefinition(name);
    if (!definition) {
      const suggestion = closestAnnotation(name);
      problems.push({
        annotation: name,
        message: `is not a Linnet annotation${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      });
      continue;
    }
    const message = definition.read(text, settings);
    if (message) problems.push({ annotation: name, message });
  }
  return settings;
}

function checkConflicts(settings: OptInSettings, problems: AnnotationProblem[]): void {
  const conflict = (annotation: string, other: string, why: string): void => {
    problems.push({ annotation, message: `cannot be combined with ${other}: ${why}` });
  };
  if (settings.stepWeights && settings.stepWeight !== undefined) {
    conflict('linnet.dev/step-weights', 'linnet.dev/step-weight', 'set only one of them');
  }
  if (settings.iterations !== undefined) {
    const why = 'iterations selects a blue/green rollout, step weights a canary rollout';
    if (settings.stepWeight !== undefined) conflict('linnet.dev/iterations', 'linnet.dev/step-weight', why);
    if (settings.stepWeights) conflict('linnet.dev/iterations', 'linnet.dev/step-weights', why);
    if (settings.maxWeight !== undefined) conflict('linnet.dev/iterations', 'linnet.dev/max-weight', why);
  }
}

function builtinMetrics(): CanaryMetric[] {
  return [
    {
      name: SUCCESS_RATE,
      interval: OPT_IN_DEFAULTS.metricInterval,
      thresholdRange: { min: OPT_IN_DEFAULTS.successRateMin },
    },
    { name: DURATION, interval: OPT_IN_DEFAULTS.metricInterval, thresholdRange: { max: OPT_IN_DEFAULTS.latencyMaxMs } },
  ];
}

function defaultSpec(workload: OptInWorkload, port: number): CanarySpec {
  return {
    targetRef: { apiVersion: 'apps/v1', kind: workload.kind, name: workload.metadata.name },
    service: { port },
    analysis: {
      interval: OPT_IN_DEFAULTS.interval,
      threshold: OPT_IN_DEFAULTS.threshold,
      maxWeight: OPT_IN_DEFAULTS.maxWeight,
      stepWeight: OPT_IN_DEFAULTS.stepWeight,
      metrics: builtinMetrics(),
    },
  };
}

/** Sets the threshold of a built-in metric, adding the metric when the base spec lacks it. */
function withBuiltinThreshold(
  metrics: CanaryMetric[],
  name: string,
  range: CanaryMetric['thresholdRange'],
  interval: string,
): CanaryMetric[] {
  if (!metrics.some((metric) => metric.name === name)) return [...metrics, { name, interval, thresholdRange: range }];
  return metrics.map((metric) => (metric.name === name ? { ...metric, thresholdRange: range } : metric));
}

function withWeights(analysis: CanaryAnalysis, settings: OptInSettings): CanaryAnalysis {
  const { stepWeight, stepWeights, iterations, maxWeight: baseMaxWeight, ...rest } = analysis;
  let maxWeight = baseMaxWeight;
  if (settings.iterations !== undefined) return { ...rest, iterations: settings.iterations };
  if (settings.stepWeights) {
    // maxWeight is ignored next to stepWeights; a default one would only mislead a reader of the Canary.
    return {
      ...rest,
      stepWeights: settings.stepWeights,
      ...(settings.maxWeight !== undefined && { maxWeight: settings.maxWeight }),
    };
  }
  if (settings.stepWeight !== undefined) {
    return { ...rest, stepWeight: settings.stepWeight, maxWeight: settings.maxWeight ?? maxWeight };
  }
  if (stepWeight === undefined && stepWeights === undefined && !iterations) {
    // A rollout policy without canaryStrategy or analysisTimes: the annotations' default schedule.
    maxWeight ??= OPT_IN_DEFAULTS.maxWeight;
    return { ...rest, stepWeight: OPT_IN_DEFAULTS.stepWeight, maxWeight: settings.maxWeight ?? maxWeight };
  }
  return {
    ...rest,
    ...(stepWeight !== undefined && { stepWeight }),
    ...(stepWeights !== undefined && { stepWeights }),
    ...(iterations !== undefined && { iterations }),
    ...((settings.maxWeight ?? maxWeight) !== undefined && { maxWeight: settings.maxWeight ?? maxWeight }),
  };
}

function withMetricSettings(analysis: CanaryAnalysis, settings: OptInSettings): CanaryAnalysis {
  let metrics = analysis.metrics ?? [];
  const interval = settings.metricInterval ?? OPT_IN_DEFAULTS.metricInterval;
  if (settings.metricInterval) {
    metrics = metrics.map((metric) =>
      metric.name === SUCCESS_RATE || metric.name === DURATION ? { ...metric, interval } : metric,
    );
  }
  if (settings.successRateMin !== undefined) {
    metrics = withBuiltinThreshold(metrics, SUCCESS_RATE, { min: settings.successRateMin }, interval);
  }
  if (settings.latencyMaxMs !== undefined) {
    metrics = withBuiltinThreshold(metrics, DURATION, { max: settings.latencyMaxMs }, interval);
  }
  return metrics.length > 0 ? { ...analysis, metrics } : analysis;
}

function withLoadTest(analysis: CanaryAnalysis, settings: OptInSettings, defaultUrl: string): CanaryAnalysis {
  if (!settings.loadTest) return analysis;
  const webhook: CanaryWebhook = {
    name: LOAD_TEST_WEBHOOK_NAME,
    type: 'rollout',
    url: settings.loadTesterUrl ?? defaultUrl,
    timeout: settings.loadTestTimeout ?? OPT_IN_DEFAULTS.loadTestTimeout,
    metadata: { type: 'cmd', cmd: settings.loadTest },
  };
  const others = (analysis.webhooks ?? []).filter((existing) => existing.name !== LOAD_TEST_WEBHOOK_NAME);
  return { ...analysis, webhooks: [...others, webhook] };
}

function applySettings(spec: CanarySpec, settings: OptInSettings, defaultLoadTesterUrl: string): CanarySpec {
  const service = spec.service ?? { port: 0 };
  let analysis: CanaryAnalysis = { ...spec.analysis };
  if (settings.interval) analysis.interval = settings.interval;
  if (settings.threshold !== undefined) analysis.threshold = settings.threshold;
  if (settings.stepWeightPromotion !== undefined) analysis.stepWeightPromotion = settings.stepWeightPromotion;
  analysis = withWeights(analysis, settings);
  analysis = withMetricSettings(analysis, settings);
  analysis = withLoadTest(analysis, settings, defaultLoadTesterUrl);
  return {
    ...spec,
    // Opting out deletes the Canary; reverting on deletion makes the workload serve its own traffic again.
    revertOnDeletion: spec.revertOnDeletion ?? true,
    service: {
      ...service,
      ...(settings.port !== undefined && { port: settings.port }),
      ...(settings.targetPort !== undefined && { targetPort: settings.targetPort }),
      ...(settings.portName && { portName: settings.portName }),
      ...(settings.gateways && { gateways: settings.gateways }),
      ...(settings.hosts && { hosts: settings.hosts }),
      ...(settings.timeout && { timeout: settings.timeout }),
    },
    analysis,
  };
}

interface BaseSpec {
  spec?: CanarySpec;
  privateTestLoader?: PrivateTestLoader;
}

function baseFromRolloutPolicy(
  workload: OptInWorkload,
  settings: OptInSettings,
  port: number | undefined,
  problems: AnnotationProblem[],
): BaseSpec {
  const { name, namespace } = workload.metadata;
  const conversion = convertKuratorRollout(settings.rolloutPolicy, {
    workload: { kind: workload.kind, name, namespace },
    ...(port !== undefined && { port }),
    ...(settings.loadTesterUrl && { loadTesterUrl: settings.loadTesterUrl }),
    validateCanaries: false,
  });
  // The annotation is written for Linnet alone, so a field it would silently ignore is as wrong as a bad value.
  for (const problem of [...conversion.problems, ...conversion.warnings]) {
    problems.push({
      annotation: ROLLOUT_POLICY_ANNOTATION,
      message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
    });
  }
  const rollout = conversion.rollouts[0];
  if (!rollout || conversion.problems.length > 0 || conversion.warnings.length > 0) return {};
  if (conversion.shape === 'Application') {
    problems.push({
      annotation: ROLLOUT_POLICY_ANNOTATION,
      message: 'must hold a rolloutPolicy (or one rollout), not a whole Kurator Application',
    });
    return {};
  }
  return {
    spec: rollout.canary.spec,
    ...(rollout.privateTestLoader && !settings.loadTesterUrl && { privateTestLoader: rollout.privateTestLoader }),
  };
}

function optInState(value: string | undefined, problems: AnnotationProblem[]): boolean {
  if (value === undefined) return false;
  const normalised = value.trim().toLowerCase();
  if (normalised === OPT_IN_ENABLED) return true;
  if (normalised !== OPT_IN_DISABLED) {
    problems.push({
      annotation: OPT_IN_ANNOTATION,
      message: `must be "${OPT_IN_ENABLED}" or "${OPT_IN_DISABLED}" (got ${JSON.stringify(value)})`,
    });
  }
  return false;
}

/**
 * Reads the opt-in annotations of a Deployment or DaemonSet. When `linnet.dev/canary` is "enabled" and every
 * annotation is well-formed, returns the Canary they describe: named after the workload, in its namespace, and
 * valid (validateCanary finds nothing). Otherwise returns the problems, each naming its annotation.
 */
export function parseOptInAnnotations(workload: OptInWorkload): OptInParseResult {
  const annotations = workload.metadata.annotations ?? {};
  const problems: AnnotationProblem[] = [];
  const optedIn = optInState(annotations[OPT_IN_ANNOTATION], problems);
  if (!optedIn) return { optedIn, problems };

  const settings = readSettings(annotations, problems);
  checkConflicts(settings, problems);
  const { name, namespace } = workload.metadata;
  const port = settings.port ?? firstContainerPort(workload);
  if (port === undefined && settings.rolloutPolicy === undefined) {
    problems.push({
      annotation: 'linnet.dev/port',
      message: "is required: the workload's containers declare no containerPort to default to",
    });
  }
  if (problems.length > 0) return { optedIn, problems };

  const defaultLoadTesterUrl = testLoaderUrl(name, namespace);
  const base: BaseSpec =
    settings.rolloutPolicy !== undefined
      ? baseFromRolloutPolicy(workload, settings, port, problems)
      : { spec: defaultSpec(workload, port ?? 0) };
  if (!base.spec) return { optedIn, problems };

  const spec = applySettings(base.spec, settings, defaultLoadTesterUrl);
  const canary: Canary = { apiVersion: GROUP_VERSION, kind: 'Canary', metadata: { name, namespace }, spec };
  for (const problem of validateCanary(canary)) {
    problems.push({
      annotation: ANNOTATION_PREFIX + '*',
      message: `together give an invalid Canary: ${problem.path}: ${problem.message}`,
    });
  }
  if (problems.length > 0) return { optedIn, problems };

  const usesOwnTestLoader = settings.loadTest !== undefined && settings.loadTesterUrl === undefined;
  const privateTestLoader =
    base.privateTestLoader ??
    (usesOwnTestLoader ? { name: testLoaderName(name), namespace, url: defaultLoadTesterUrl } : undefined);
  return { optedIn, canary, ...(privateTestLoader && { privateTestLoader }), problems };
}
