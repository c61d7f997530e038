// Checks made once at start-up: the CRDs Linnet needs are served (a clear error instead of endless informer
// retries), and the metrics server answers (logged only: Canaries may name their own metricsServer).
import { isNotFound, resourceName, resourceTypes, type KubeAccess, type ResourceType } from '../kube/index.ts';
import { createPrometheusProvider } from '../metrics-providers/index.ts';
import { describeError, type Logger } from '../observability/index.ts';
import { clusterTypes } from './cluster-types.ts';

export class StartupCheckError extends Error {
  readonly reason = 'CustomResourceDefinitionMissing';
  constructor(message: string) {
    super(message);
    this.name = 'StartupCheckError';
  }
}

const REQUIRED: ReadonlyArray<{ type: ResourceType; hint: string }> = [
  { type: clusterTypes.canary, hint: "install Linnet's CRDs: kubectl apply -f deploy/crds" },
  { type: clusterTypes.metricTemplate, hint: "install Linnet's CRDs: kubectl apply -f deploy/crds" },
  { type: resourceTypes.alertProvider, hint: "install Linnet's CRDs: kubectl apply -f deploy/crds" },
  { type: clusterTypes.virtualService, hint: 'install Istio (its networking.istio.io CRDs)' },
  { type: clusterTypes.destinationRule, hint: 'install Istio (its networking.istio.io CRDs)' },
];

/** Lists each required resource once (in the watched namespace); a 404 means its CRD is not installed. */
export async function checkRequiredResources(access: KubeAccess, namespace: string): Promise<void> {
  const missing: string[] = [];
  for (const { type, hint } of REQUIRED) {
    try {
      await access.list(type, namespace ? { namespace } : {});
    } catch (error) {
      if (!isNotFound(error)) throw error;
      missing.push(`${resourceName(type)} (${hint})`);
    }
  }
  if (missing.length > 0) {
    throw new StartupCheckError(`the API server does not serve ${missing.join(', ')}`);
  }
}

/** Flagger's start-up probe: `vector(1)` must return 1. */
export async function logMetricsServerStatus(address: string, logger: Logger): Promise<void> {
  try {
    const online = await createPrometheusProvider({ address }).isOnline();
    if (online) logger.info('metrics server is online', { metricsServer: address });
    else logger.warn('metrics server is not answering queries', { metricsServer: address });
  } catch (error) {
    logger.warn('metrics server check failed', { metricsServer: address, ...describeError(error) });
  }
}
