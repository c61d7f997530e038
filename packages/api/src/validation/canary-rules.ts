import { asArray, asBoolean, asNumber, asObject, asString, describeValue, type RawObject } from './raw-value.ts';
import { checkAnalysis } from './analysis-rules.ts';
import { MAX_TIMER_MS } from '../limits.ts';
import { checkDuration, checkHttpUrl, checkStringMatch, MAX_TIMER_REASON } from './value-rules.ts';
import { serviceNameProblem, servicePortNameProblem } from './kubernetes-names.ts';
import type { PathSegment, ReportProblem } from './validation-problem.ts';

// Cross-field rules of a Canary's spec outside the analysis.

// Kubernetes' IANA_SVC_NAME: what a named container port may be called.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const STRING_MATCH_KEYS = ['exact', 'prefix', 'regex'] as const;

function checkTargetPort(value: unknown, path: readonly PathSegment[], report: ReportProblem): void {
  const port = asNumber(value);
  if (port !== undefined && (port < 1 || port > 65535)) {
    report(path, `must be between 1 and 65535 (got ${port})`);
  }
  const name = asString(value);
  if (name !== undefined && (name.length > 15 || !PORT_NAME.test(name) || name.includes('--'))) {
    report(
      path,
      'must be a port number or a container port name (up to 15 lowercase letters, digits and dashes) ' +
        `(got ${describeValue(name)})`,
    );
  }
}

function checkServiceMatches(matches: readonly unknown[], at: readonly PathSegment[], report: ReportProblem): void {
  const options = { keys: STRING_MATCH_KEYS, required: false };
  matches.forEach((item, index) => {
    const match = asObject(item);
    if (!match) return;
    for (const key of ['uri', 'scheme', 'method', 'authority']) {
      checkStringMatch(match[key], [...at, index, key], report, options);
    }
    for (const mapKey of ['headers', 'queryParams', 'withoutHeaders']) {
      for (const [name, condition] of Object.entries(asObject(match[mapKey]) ?? {})) {
        checkStringMatch(condition, [...at, index, mapKey, name], report, options);
      }
    }
  });
}

function checkService(service: RawObject, at: readonly PathSegment[], report: ReportProblem): void {
  if (asBoolean(service.delegation) === true) {
    for (const key of ['hosts', 'gateways'] as const) {
      if ((asArray(service[key])?.length ?? 0) > 0) {
        report([...at, key], `must be empty when delegation is true (a delegate VirtualService has no ${key})`);
      }
    }
  }
  checkTargetPort(service.targetPort, [...at, 'targetPort'], report);
  const portName = asString(service.portName);
  const portNameProblem = portName === undefined ? undefined : servicePortNameProblem(portName);
  if (portNameProblem) report([...at, 'portName'], portNameProblem);
  checkDuration(asObject(service.corsPolicy)?.maxAge, [...at, 'corsPolicy', 'maxAge'], report);
  checkDuration(service.timeout, [...at, 'timeout'], report);
  checkDuration(service.backendTimeout, [...at, 'backendTimeout'], report);
  checkDuration(asObject(service.retries)?.perTryTimeout, [...at, 'retries', 'perTryTimeout'], report);
  const matches = asArray(service.match);
  if (matches) checkServiceMatches(matches, [...at, 'match'], report);
}

function checkScalerReplicas(autoscalerRef: RawObject | undefined, at: readonly PathSegment[], report: ReportProblem) {
  const replicas = asObject(autoscalerRef?.primaryScalerReplicas);
  const min = asNumber(replicas?.minReplicas);
  const max = asNumber(replicas?.maxReplicas);
  if (min !== undefined && max !== undefined && min > max) {
    report([...at, 'maxReplicas'], `must not be less than minReplicas (got ${max} < ${min})`);
  }
}

/** The deadline is a wait like any other: positive (0 would fail every rollout at once) and timer-sized. */
function checkProgressDeadline(value: unknown, path: readonly PathSegment[], report: ReportProblem): void {
  const seconds = asNumber(value);
  if (seconds === 0) report(path, 'must be at least 1 (got 0): a deadline of 0 fails every rollout at once');
  else if (seconds !== undefined && seconds * 1000 > MAX_TIMER_MS) {
    report(path, `must be at most ${Math.floor(MAX_TIMER_MS / 1000)} (${MAX_TIMER_REASON}) (got ${seconds})`);
  }
}

/** The Services are named after service.name, else the target: both must make valid `<name>-primary` names. */
function checkGeneratedNames(
  service: RawObject | undefined,
  targetRef: RawObject | undefined,
  at: readonly PathSegment[],
  report: ReportProblem,
): void {
  const serviceName = asString(service?.name);
  const [name, path] =
    serviceName !== undefined
      ? [serviceName, [...at, 'service', 'name']]
      : [asString(targetRef?.name), [...at, 'targetRef', 'name']];
  const problem = name === undefined || name === '' ? undefined : serviceNameProblem(name);
  if (problem) report(path, problem);
}

export function checkCanarySpec(spec: RawObject, report: ReportProblem): void {
  const at = ['spec'];
  const skipAnalysis = asBoolean(spec.skipAnalysis) === true;
  if (spec.analysis !== undefined && spec.canaryAnalysis !== undefined) {
    report(
      [...at, 'canaryAnalysis'],
      'must not be set together with analysis (Flagger would silently ignore it); move its fields into analysis',
    );
  }
  const analysisKey = spec.analysis === undefined && spec.canaryAnalysis !== undefined ? 'canaryAnalysis' : 'analysis';
  const analysis = asObject(spec[analysisKey]);
  if (spec[analysisKey] === undefined && !skipAnalysis) report([...at, 'analysis'], 'is required');
  if (analysis)
    checkAnalysis(analysis, [...at, analysisKey], report, { provider: asString(spec.provider), skipAnalysis });

  const service = asObject(spec.service);
  if (spec.service === undefined) report([...at, 'service'], 'is required');
  if (service) checkService(service, [...at, 'service'], report);
  checkGeneratedNames(service, asObject(spec.targetRef), at, report);

  checkHttpUrl(spec.metricsServer, [...at, 'metricsServer'], report);
  checkProgressDeadline(spec.progressDeadlineSeconds, [...at, 'progressDeadlineSeconds'], report);
  checkScalerReplicas(asObject(spec.autoscalerRef), [...at, 'autoscalerRef', 'primaryScalerReplicas'], report);
}
