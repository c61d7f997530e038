import type { Canary } from '@linnet/api';
import { canaryProgress, progressBar } from './canary-progress.ts';
import { formatTable, truncate } from './table.ts';

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
  const analysis = spec.analysis ?? spec.canaryAnalysis;
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

/** One frame of `linnet watch`: status, a progress bar and the last decision's explanation per Canary. */
export function watchTable(canaries: readonly Canary[], options: TableOptions & { width?: number }): string {
  const headers = ['NAME', 'STATUS', 'PROGRESS', 'LAST DECISION'];
  const rows = [...canaries].sort(byNamespaceAndName).map((canary) => {
    const progress = canaryProgress(canary);
    const suspended = canary.spec.suspend ? ' (paused)' : '';
    return [
      ...(options.allNamespaces ? [text(canary.metadata.namespace)] : []),
      text(canary.metadata.name),
      `${text(canary.status?.phase) || 'Pending'}${suspended}`,
      `${progressBar(progress.fraction)} ${progress.label}`,
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
