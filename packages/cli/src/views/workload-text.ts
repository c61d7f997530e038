import type { WorkloadSummary } from '../cluster/canary-workloads.ts';

/** "podinfo:6.0.1 2/2" (the image without its registry and path, then ready/desired replicas); "-" when absent. */
export function workloadText(workload: WorkloadSummary | undefined, fullImages = false): string {
  if (!workload) return '-';
  const images = workload.images.map((image) => (fullImages ? image : image.slice(image.lastIndexOf('/') + 1)));
  return `${images.join(',') || '<no image>'} ${workload.ready}/${workload.desired}`;
}
