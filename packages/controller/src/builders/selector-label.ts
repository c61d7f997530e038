import type { V1LabelSelector } from '@kubernetes/client-node';
import { BuilderError } from './builder-error.ts';

/** The label that tells target pods from primary pods: `<key>: <value>` on the target, `<value>-primary` on the primary. */
export interface SelectorLabel {
  key: string;
  value: string;
}

/** The default of Flagger's `-selector-labels` flag. */
export const DEFAULT_SELECTOR_LABELS: readonly string[] = ['app', 'name', 'app.kubernetes.io/name'];

/**
 * The first of `selectorLabels` present in the workload's `spec.selector.matchLabels` (reference §3.1).
 * `workload` names the object in the error, e.g. "deployment podinfo.test".
 */
export function findSelectorLabel(
  selector: V1LabelSelector | undefined,
  selectorLabels: readonly string[],
  workload: string,
): SelectorLabel {
  const matchLabels = selector?.matchLabels ?? {};
  for (const key of selectorLabels) {
    const value = matchLabels[key];
    if (value !== undefined) return { key, value };
  }
  throw new BuilderError(
    'SelectorLabelMissing',
    `${workload} spec.selector.matchLabels must contain one of [${selectorLabels.join(' ')}]`,
  );
}

export function primarySelectorValue(label: SelectorLabel): string {
  return `${label.value}-primary`;
}
