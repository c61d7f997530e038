import {
  MANAGED_BY_ANNOTATIONS_LABEL,
  pendingManualAction,
  withCanaryDefaults,
  type Canary,
  type CanaryMetric,
  type MetricCheckResult,
} from '@linnet/api';
import { deploymentStrategy, trafficRoutingDescription } from '@linnet/core';
import { eventTime, type CoreEvent } from '../cluster/canary-resources.ts';
import type { CanaryWorkloads } from '../cluster/canary-workloads.ts';
import { formatAge, formatElapsed } from './age.ts';
import { canaryProgress, progressBar, runElapsedMs } from './canary-progress.ts';
import { formatTable } from './table.ts';
import { workloadText } from './workload-text.ts';

// `linnet describe canary`: what the Canary asks for, where its run is, why, and what happened recently.

const field = (label: string, value: string | number | undefined): string =>
  value === undefined || value === '' ? '' : `${`${label}:`.padEnd(22)}${value}\n`;

const indent = (block: string, by = '  '): string =>
  block
    .trimEnd()
    .split('\n')
    .map((line) => by + line)
    .join('\n') + '\n';

function thresholdText(metric: Pick<CanaryMetric, 'thresholdRange' | 'threshold'>): string {
  const range = metric.thresholdRange;
  if (range?.min !== undefined && range.max !== undefined) return `${range.min}..${range.max}`;
  if (range?.min !== undefined) return `>= ${range.min}`;
  if (range?.max !== undefined) return `<= ${range.max}`;
  return metric.threshold !== undefined ? `threshold ${metric.threshold}` : '';
}

function specSection(canary: Canary): string {
  const spec = withCanaryDefaults(canary.spec);
  const { analysis } = spec;
  const strategy = deploymentStrategy(analysis);
  const service = spec.service;
  let out = '';
  out += field('Target', `${spec.targetRef.kind}/${spec.targetRef.name}`);
  out += field('Provider', spec.provider ?? 'the controller default');
  out += field('Suspended', String(spec.suspend));
  out += field(
    'Strategy',
    spec.skipAnalysis ? 'promote without analysis' : trafficRoutingDescription(analysis, strategy),
  );
  if (service) {
    out += field('Service', `${service.name}:${service.port} (target port ${service.targetPort})`);
    out += field('Gateways', service.gateways.join(', '));
    out += field('Hosts', (service.hosts ?? []).join(', '));
    out += field('Timeout', service.timeout);
  }
  out += field('Interval', analysis.interval);
  out += field('Threshold', analysis.threshold);
  out += field('Progress deadline', `${spec.progressDeadlineSeconds}s`);
  if (analysis.metrics.length > 0) {
    out += 'Metrics:\n';
    out += indent(
      formatTable(
        ['NAME', 'THRESHOLD', 'INTERVAL'],
        analysis.metrics.map((metric) => [metric.name, thresholdText(metric), metric.interval]),
      ),
    );
  }
  if (analysis.webhooks.length > 0) {
    out += 'Webhooks:\n';
    out += indent(
      formatTable(
        ['NAME', 'TYPE', 'URL', 'COMMAND'],
        analysis.webhooks.map((webhook) => [webhook.name, webhook.type, webhook.url, webhook.metadata?.cmd ?? '']),
      ),
    );
  }
  return out;
}

function statusSection(canary: Canary, now: Date): string {
  const status = canary.status;
  if (!status) return 'Status:               (none yet: the controller has not seen this Canary)\n';
  const threshold = withCanaryDefaults(canary.spec).analysis.threshold;
  const progress = canaryProgress(canary);
  const out = 'Status:\n';
  let body = '';
  body += field('Phase', status.phase || 'Pending');
  body += field('Progress', `${progressBar(progress.fraction)} ${progress.label}`);
  body += field('Step', `${progress.step.done}/${progress.step.total}`);
  const elapsed = runElapsedMs(canary, now);
  if (elapsed !== undefined) {
    body += field('Elapsed', formatElapsed(elapsed));
  }
  body += field('Canary weight', status.canaryWeight);
  body += field('Failed checks', `${status.failedChecks ?? 0} of ${threshold}`);
  body += field('Iterations', status.iterations);
  body += field('Last transition', status.lastTransitionTime);
  body += field('Next check', status.nextCheckTime);
  if (status.lastDecision) {
    const { reason, message, time } = status.lastDecision;
    body += field('Last decision', `${reason} (${formatAge(time, now)} ago)`);
    body += field('  Why', message);
  }
  for (const condition of status.conditions ?? []) {
    body += field(
      `Condition ${condition.type}`,
      `${condition.status} (${condition.reason}) ${condition.message ?? ''}`.trim(),
    );
  }
  return out + indent(body);
}

function checksSection(checks: readonly MetricCheckResult[] | undefined, now: Date): string {
  if (!checks || checks.length === 0) return '';
  return (
    'Last checks:\n' +
    indent(
      formatTable(
        ['METRIC', 'VALUE', 'RANGE', 'RESULT', 'AGE', 'MESSAGE'],
        checks.map((check) => [
          check.name,
          check.value === undefined ? '-' : String(check.value),
          thresholdText({ thresholdRange: { min: check.min, max: check.max } }) || '-',
          check.passed ? 'passed' : 'FAILED',
          formatAge(check.time, now),
          check.message,
        ]),
      ),
    )
  );
}

function eventsSection(events: readonly CoreEvent[], now: Date): string {
  if (events.length === 0) return 'Events:               <none>\n';
  return (
    'Events:\n' +
    indent(
      formatTable(
        ['TYPE', 'REASON', 'AGE', 'FROM', 'MESSAGE'],
        events.map((event) => [
          event.type ?? '',
          event.reason ?? '',
          formatAge(eventTime(event), now),
          event.reportingComponent || event.source?.component || '',
          (event.message ?? '').replaceAll('\n', ' '),
        ]),
      ),
    )
  );
}

function manualControlSection(canary: Canary): string {
  const pending = pendingManualAction(canary.metadata.annotations);
  if (pending.kind === 'none') return '';
  if (pending.kind === 'malformed') return field('Pending action', `invalid: ${pending.message}`);
  const { action, requestedAt } = pending.request;
  return field('Pending action', `${action}${requestedAt ? ` (requested ${requestedAt})` : ''}`);
}

function workloadsSection(workloads: CanaryWorkloads | undefined): string {
  if (!workloads) return '';
  return (
    'Workloads:\n' +
    indent(
      field('Primary', `${workloads.primary?.name ?? ''} ${workloadText(workloads.primary, true)}`.trim()) +
        field('Canary', `${workloads.canary?.name ?? ''} ${workloadText(workloads.canary, true)}`.trim()),
    )
  );
}

export function describeCanary(
  canary: Canary,
  events: readonly CoreEvent[],
  now: Date,
  workloads?: CanaryWorkloads,
): string {
  const { metadata } = canary;
  let out = '';
  out += field('Name', metadata.name);
  out += field('Namespace', metadata.namespace);
  if (metadata.labels?.[MANAGED_BY_ANNOTATIONS_LABEL] === 'true') {
    out += field('Generated from', 'the linnet.dev annotations of its target');
  }
  out += field('Created', metadata.creationTimestamp);
  out += specSection(canary);
  out += manualControlSection(canary);
  out += workloadsSection(workloads);
  out += statusSection(canary, now);
  out += checksSection(canary.status?.lastChecks, now);
  out += eventsSection(events, now);
  return out;
}
