import { effectiveAnalysis, type Canary } from '@linnet/api';
import type { CanaryWorkloads } from '../cluster/canary-workloads.ts';
import { formatElapsed } from './age.ts';
import { canaryProgress, progressBar, runElapsedMs } from './canary-progress.ts';
import { formatTable, truncate } from './table.ts';
import { workloadText } from './workload-text.ts';

// The tables of `linnet get canaries` (the CRD's printer columns, as `kubectl get` shows them) and `linnet watch`.

export interface TableOptions {
  /** Add the NAMESPACE column (listing across namespaces). */
  allNamespaces: boolean;
  wide?: boolean;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function printerColumns(canary: Canary, wide: boolean): string[] {
  const { spec, status } = canary;
  const columns = [
    text(canary.metadata.name),
    text(status?.phase),
    text(status?.canaryWeight),
    text(status?.lastTransitionTime),
  ];
  if (!wide) return columns;
  const analysis = effectiveAnalysis(spec);
  return [
    ...columns,
    text(spec.suspend ?? false),
    text(status?.failedChecks),
    text(analysis?.interval),
    text(analysis?.mirror ?? false),
    text(analysis?.stepWeight),
    analysis?.stepWeights ? JSON.stringify(analysis.stepWeights) : '',
    text(analysis?.maxWeight),
  ];
}

const byNamespaceAndName = (a: Canary, b: Canary): number =>
  `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);

export function canaryTable(canaries: readonly Canary[], options: TableOptions): string {
  const headers = ['NAME', 'STATUS', 'WEIGHT', 'LASTTRANSITIONTIME'];
  if (options.wide) {
    headers.push('SUSPENDED', 'FAILEDCHECKS', 'INTERVAL', 'MIRROR', 'STEPWEIGHT', 'STEPWEIGHTS', 'MAXWEIGHT');
  }
  const rows = [...canaries]
    .sort(byNamespaceAndName)
    .map((canary) => [
      ...(options.allNamespaces ? [text(canary.metadata.namespace)] : []),
      ...printerColumns(canary, options.wide ?? false),
    ]);
  return formatTable(options.allNamespaces ? ['NAMESPACE', ...headers] : headers, rows);
}

export interface WatchOptions extends TableOptions {
  width?: number;
  now: Date;
  /** Per `namespace/name`: the primary and canary workloads (absent: not read, shown as "-"). */
  workloads?: ReadonlyMap<string, CanaryWorkloads>;
}

/**
 * One frame of `linnet watch`: per Canary its status, step n/m with a progress bar, the time since the run began,
 * the primary and canary images with ready/desired replicas, and the last decision's explanation.
 */
export function watchTable(canaries: readonly Canary[], options: WatchOptions): string {
  const headers = ['NAME', 'STATUS', 'STEP', 'PROGRESS', 'ELAPSED', 'PRIMARY', 'CANARY', 'LAST DECISION'];
  const rows = [...canaries].sort(byNamespaceAndName).map((canary) => {
    const progress = canaryProgress(canary);
    const suspended = canary.spec.suspend ? ' (paused)' : '';
    const elapsed = runElapsedMs(canary, options.now);
    const workloads = options.workloads?.get(`${canary.metadata.namespace}/${canary.metadata.name}`);
    return [
      ...(options.allNamespaces ? [text(canary.metadata.namespace)] : []),
      text(canary.metadata.name),
      `${text(canary.status?.phase) || 'Pending'}${suspended}`,
      `${progress.step.done}/${progress.step.total}`,
      `${progressBar(progress.fraction)} ${progress.label}`,
      elapsed === undefined ? '-' : formatElapsed(elapsed),
      workloadText(workloads?.primary),
      workloadText(workloads?.canary),
      text(canary.status?.lastDecision?.message),
    ];
  });
  const table = formatTable(options.allNamespaces ? ['NAMESPACE', ...headers] : headers, rows);
  const { width } = options;
  if (!width) return table;
  return (
    table
      .trimEnd()
      .split('\n')
      .map((line) => truncate(line, width))
      .join('\n') + '\n'
  );
}
