// The ConfigMaps and Secrets one reconcile of a Canary may read, so their data is loaded before it runs: those the
// target's pods use (config tracking), their `-primary` copies, and the credentials Secrets of its MetricTemplates.
import { effectiveAnalysis } from '@linnet/api';
import { listConfigReferences, primaryName } from '../builders/index.ts';
import type { ConfigLocation } from './config-data.ts';
import { clusterTypes, type CanaryResource } from './cluster-types.ts';
import type { ClusterView } from './cluster-view.ts';

export function configsReferencedBy(canary: CanaryResource, view: ClusterView): ConfigLocation[] {
  const namespace = canary.metadata?.namespace ?? '';
  const locations: ConfigLocation[] = [];
  const targetRef = canary.spec.targetRef;
  const target =
    targetRef?.kind === 'DaemonSet'
      ? view.get(clusterTypes.daemonSet, namespace, targetRef.name)
      : targetRef?.name
        ? view.get(clusterTypes.deployment, namespace, targetRef.name)
        : undefined;
  for (const reference of listConfigReferences(target?.spec?.template.spec)) {
    const type = reference.kind === 'ConfigMap' ? clusterTypes.configMap : clusterTypes.secret;
    locations.push({ type, namespace, name: reference.name });
    locations.push({ type, namespace, name: primaryName(reference.name) });
  }
  for (const metric of effectiveAnalysis(canary.spec)?.metrics ?? []) {
    const templateRef = metric.templateRef;
    if (!templateRef) continue;
    const templateNamespace = templateRef.namespace ?? namespace;
    const template = view.get(clusterTypes.metricTemplate, templateNamespace, templateRef.name);
    const secretName = template?.spec.provider.secretRef?.name;
    if (secretName) locations.push({ type: clusterTypes.secret, namespace: templateNamespace, name: secretName });
  }
  return locations;
}
