import { GROUP_VERSION } from '../api-group.ts';
import { toOpenApiSchema } from '../crd/openapi-schema.ts';
import type { CanaryAnalysis, CanaryMetric, CanaryWebhook } from '../schema/canary-analysis.ts';
import type { CanaryService } from '../schema/canary-service.ts';
import { MESH_PROVIDERS, type Canary, type CanarySpec, type MeshProvider } from '../schema/canary.ts';
import { validateCanary } from '../validation/validate-resources.ts';
import { reportSchemaIssues } from '../validation/schema-problems.ts';
import { reportUnknownFields } from '../validation/unknown-fields.ts';
import {
  formatPath,
  ProblemList,
  type PathSegment,
  type ReportProblem,
  type ValidationProblem,
} from '../validation/validation-problem.ts';
import { locateRolloutConfigs, type KuratorInputShape } from './kurator-input.ts';
import {
  kuratorRolloutConfigSchema,
  type KuratorRolloutConfig,
  type KuratorRolloutPolicy,
} from './kurator-rollout-schema.ts';
import { testLoaderName, testLoaderUrl } from './test-loader-url.ts';

// Kurator's defaults where its Go types leave a field empty (apps.kurator.dev/v1alpha1 field docs).
const KURATOR_DEFAULT_CHECK_INTERVAL_SECONDS = 60;
const KURATOR_DEFAULT_METRIC_INTERVAL_SECONDS = 60;
const KURATOR_DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 60;
/** Kurator's name for the webhooks it generates from `webhooks.command[]`, suffixed with the command's index. */
export const KURATOR_WEBHOOK_NAME_PREFIX = 'generated-testload';

export interface KuratorConversionOptions {
  /** Completes or overrides the rollout's workload (a bare rolloutPolicy names none). */
  workload?: { kind?: 'Deployment' | 'DaemonSet'; name?: string; namespace?: string };
  /** Namespace when neither the workload nor `workload` option names one. Default "default". */
  defaultNamespace?: string;
  /** Service port when the rollout names none (a bare rolloutPolicy). */
  port?: number;
  /**
   * Where the load-test webhooks go. Default: the workload's own test loader,
   * http://<workload>-testloader.<namespace>:8080/ (which Kurator deploys when testLoader is true).
   */
  loadTesterUrl?: string;
  /**
   * Report a generated Canary that would not validate. Default true; the opt-in annotations turn it off because
   * they complete the Canary (e.g. with step weights) before validating it.
   */
  validateCanaries?: boolean;
}

export interface PrivateTestLoader {
  /** Name of the Deployment and Service Kurator would create: <workload>-testloader. */
  name: string;
  namespace: string;
  url: string;
}

export interface ConvertedKuratorRollout {
  /** Where the rollout was found in the input, e.g. "spec.syncPolicies[0].rollout" ("" for the input itself). */
  source: string;
  canary: Canary;
  /** Set when the rollout asks for `testLoader: true`: a private load tester must serve the load-test webhooks. */
  privateTestLoader?: PrivateTestLoader;
}

export interface KuratorConversion {
  shape: KuratorInputShape | undefined;
  rollouts: ConvertedKuratorRollout[];
  /** Input the conversion could not use, or a generated Canary that would not validate. Paths are in the input. */
  problems: ValidationProblem[];
  /** Input that was converted but is ignored (fields Kurator or the Canary schema do not know). */
  warnings: ValidationProblem[];
}

const rolloutConfigOpenApi = toOpenApiSchema(kuratorRolloutConfigSchema);

const secondsText = (seconds: number): string => `${seconds}s`;
const positive = (value: number | undefined): number | undefined => (value && value > 0 ? value : undefined);

function convertMetrics(policy: KuratorRolloutPolicy): CanaryMetric[] | undefined {
  const metrics = policy.trafficAnalysis?.metrics;
  if (!metrics) return undefined;
  return metrics.map((metric) => ({
    name: metric.name,
    interval: secondsText(metric.intervalSeconds ?? KURATOR_DEFAULT_METRIC_INTERVAL_SECONDS),
    ...(metric.thresholdRange && { thresholdRange: metric.thresholdRange }),
  }));
}

function convertWebhooks(policy: KuratorRolloutPolicy, url: string): CanaryWebhook[] | undefined {
  const webhooks = policy.trafficAnalysis?.webhooks;
  const commands = webhooks?.command ?? [];
  if (commands.length === 0) return undefined;
  const timeout = secondsText(webhooks?.timeoutSeconds ?? KURATOR_DEFAULT_WEBHOOK_TIMEOUT_SECONDS);
  return commands.map((command, index) => ({
    name: `${KURATOR_WEBHOOK_NAME_PREFIX}-${index}`,
    type: 'rollout',
    url,
    timeout,
    metadata: { type: 'cmd', cmd: command },
  }));
}

function convertAnalysis(policy: KuratorRolloutPolicy, loadTesterUrl: string): CanaryAnalysis {
  const routing = policy.trafficRouting ?? {};
  const analysis = policy.trafficAnalysis ?? {};
  const strategy = routing.canaryStrategy ?? {};
  const metrics = convertMetrics(policy);
  const webhooks = convertWebhooks(policy, loadTesterUrl);
  const iterations = positive(routing.analysisTimes);
  return {
    interval: secondsText(analysis.checkIntervalSeconds ?? KURATOR_DEFAULT_CHECK_INTERVAL_SECONDS),
    ...(analysis.checkFailedTimes !== undefined && { threshold: analysis.checkFailedTimes }),
    // analysisTimes selects blue/green, or A/B testing together with match (Flagger decides by `match`).
    ...(iterations !== undefined && { iterations }),
    ...(positive(strategy.maxWeight) !== undefined && { maxWeight: strategy.maxWeight }),
    ...(positive(strategy.stepWeight) !== undefined && { stepWeight: strategy.stepWeight }),
    ...(strategy.stepWeights && strategy.stepWeights.length > 0 && { stepWeights: strategy.stepWeights }),
    ...(positive(strategy.stepWeightPromotion) !== undefined && {
      stepWeightPromotion: strategy.stepWeightPromotion,
    }),
    ...(routing.match && routing.match.length > 0 && { match: routing.match }),
    ...(analysis.sessionAffinity && { sessionAffinity: analysis.sessionAffinity }),
    ...(metrics && { metrics }),
    ...(webhooks && { webhooks }),
  };
}

function convertService(config: KuratorRolloutConfig, port: number): CanaryService {
  const routing = config.rolloutPolicy?.trafficRouting ?? {};
  const timeoutSeconds = positive(routing.timeoutSeconds);
  return {
    ...(config.serviceName && { name: config.serviceName }),
    port,
    ...(routing.gateways && routing.gateways.length > 0 && { gateways: routing.gateways }),
    ...(routing.hosts && routing.hosts.length > 0 && { hosts: routing.hosts }),
    ...(timeoutSeconds !== undefined && { timeout: secondsText(timeoutSeconds) }),
    ...(routing.retries && { retries: routing.retries }),
    ...(routing.headers && { headers: routing.headers }),
    ...(routing.corsPolicy && { corsPolicy: routing.corsPolicy }),
    ...(config.primary && { primary: config.primary }),
    ...(config.preview && { canary: config.preview }),
  };
}

function meshProvider(name: string | undefined, at: readonly PathSegment[], report: ReportProblem) {
  if (!name) return undefined;
  if ((MESH_PROVIDERS as readonly string[]).includes(name)) return name as MeshProvider;
  report(
    [...at, 'trafficRoutingProvider'],
    `must be one of ${MESH_PROVIDERS.join(', ')} (got ${JSON.stringify(name)})`,
  );
  return undefined;
}

function convertConfig(
  config: KuratorRolloutConfig,
  at: readonly PathSegment[],
  options: KuratorConversionOptions,
  report: ReportProblem,
): ConvertedKuratorRollout | undefined {
  const name = options.workload?.name ?? config.workload?.name;
  const namespace = options.workload?.namespace ?? config.workload?.namespace ?? options.defaultNamespace ?? 'default';
  const kind = options.workload?.kind ?? config.workload?.kind ?? 'Deployment';
  const port = config.port ?? options.port;
  if (!name) report([...at, 'workload', 'name'], 'is required: the Deployment or DaemonSet to roll out');
  if (port === undefined) report([...at, 'port'], 'is required: the port the workload serves on');
  const policy = config.rolloutPolicy ?? {};
  const provider = meshProvider(config.trafficRoutingProvider, at, report);
  if (!name || port === undefined) return undefined;

  const loadTesterUrl = options.loadTesterUrl ?? testLoaderUrl(name, namespace);
  const spec: CanarySpec = {
    ...(provider && { provider }),
    targetRef: { apiVersion: config.workload?.apiVersion || 'apps/v1', kind, name },
    service: convertService(config, port),
    analysis: convertAnalysis(policy, loadTesterUrl),
    ...(policy.rolloutTimeoutSeconds !== undefined && { progressDeadlineSeconds: policy.rolloutTimeoutSeconds }),
    ...(policy.skipTrafficAnalysis && { skipAnalysis: true }),
    ...(policy.revertOnDeletion && { revertOnDeletion: true }),
    ...(policy.suspend && { suspend: true }),
  };
  const canary: Canary = { apiVersion: GROUP_VERSION, kind: 'Canary', metadata: { name, namespace }, spec };
  return {
    source: formatPath(at),
    canary,
    ...(config.testLoader === true && {
      privateTestLoader: { name: testLoaderName(name), namespace, url: testLoaderUrl(name, namespace) },
    }),
  };
}

/**
 * Converts Kurator rollout settings into the Canaries Kurator would render for Flagger. The input is a Kurator
 * Application (every spec.syncPolicies[].rollout is converted), one rollout config, or a bare rolloutPolicy (the
 * workload and port then come from `options`, or from rollout-level fields next to the policy).
 */
export function convertKuratorRollout(input: unknown, options: KuratorConversionOptions = {}): KuratorConversion {
  const located = locateRolloutConfigs(input);
  const problems = new ProblemList();
  const warnings = new ProblemList();
  if (located.problem) problems.report([], located.problem);
  const rollouts: ConvertedKuratorRollout[] = [];
  for (const { path, config } of located.configs) {
    // A bare rolloutPolicy was wrapped under `rolloutPolicy`; report paths as the user wrote them.
    const inInput = (segments: readonly PathSegment[]): PathSegment[] =>
      located.shape === 'RolloutPolicy' && segments[0] === 'rolloutPolicy'
        ? [...path, ...segments.slice(1)]
        : [...path, ...segments];
    const reportProblem: ReportProblem = (segments, message) => problems.report(inInput(segments), message);
    const parsed = kuratorRolloutConfigSchema.safeParse(config);
    reportUnknownFields(config, rolloutConfigOpenApi, [], (segments, message) =>
      warnings.report(inInput(segments), message.replace('would be dropped by the API server', 'is ignored')),
    );
    if (!parsed.success) {
      reportSchemaIssues(parsed.error.issues, rolloutConfigOpenApi, config, reportProblem);
      continue;
    }
    const converted = convertConfig(parsed.data, [], options, reportProblem);
    if (!converted) continue;
    converted.source = formatPath(path);
    const canaryProblems = options.validateCanaries === false ? [] : validateCanary(converted.canary);
    for (const problem of canaryProblems) {
      problems.report(path, `gives an invalid Canary: ${problem.path}: ${problem.message}`);
    }
    rollouts.push(converted);
  }
  return { shape: located.shape, rollouts, problems: problems.problems, warnings: warnings.problems };
}
