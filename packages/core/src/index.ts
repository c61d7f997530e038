// @linnet/core: the pure decision core. plan() says which checks are due, decide() turns an observation and the
// check results into the next status and the actions, events and alerts that get the world there.
export type { CanaryIdentity, DeletionState, Observation, Readiness, TrafficRoutes } from './observation.ts';
export type {
  CheckBatch,
  CheckBatchPurpose,
  CheckResult,
  HookType,
  MetricQueryOutcome,
  MetricQueryResult,
  MetricSource,
  PlannedCheck,
  PlannedMetricQuery,
  PlannedWebhookCall,
  WebhookCallResult,
  WebhookPayload,
} from './checks.ts';
export type {
  Action,
  ActionType,
  AlertField,
  CanaryAlertMessage,
  CanaryEvent,
  Decision,
  SessionAffinityCookies,
  TargetPreconditions,
} from './decision.ts';
export { unmetPrecondition, type CurrentTarget } from './preconditions.ts';
export { plan, decide } from './phase-machine.ts';
export { runBatch, runPlannedChecks, type CheckRunner } from './check-runner.ts';
export { DEFAULT_TIMINGS, analysisIntervalMs, drainPeriodMs, type CoreTimings } from './timings.ts';
export {
  canonicalJson,
  configChecksum,
  hasTargetChanged,
  haveConfigsChanged,
  podTemplateHash,
  webhookChecksum,
} from './hashing.ts';
export {
  judgeMetric,
  metricBounds,
  metricSource,
  type MetricBounds,
  type MetricJudgement,
} from './metric-judgement.ts';
export {
  deploymentStrategy,
  effectiveAnalysis,
  trafficRoutingDescription,
  type DeploymentStrategy,
  type EffectiveAnalysis,
} from './strategy.ts';
export { nextCanaryWeight, nextPromotionCanaryWeight, promotionWeight } from './weight-schedule.ts';
export { intendedRoutes, describeRoutes } from './traffic-routes.ts';
export { promotedConditionFor, withPromotedCondition, PROMOTED_CONDITION } from './promoted-condition.ts';
export { hookPassedMessage, postRolloutHookFailedMessage } from './messages.ts';
export { eventWebhookPayload, webhookPayload, type RecordedEvent } from './webhook-calls.ts';
