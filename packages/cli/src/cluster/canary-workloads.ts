import type { Canary } from '@linnet/api';
import { ApiError, type ClusterClient } from './cluster-client.ts';

// The two workloads of a Canary: the primary (<target>-primary, serving the stable version) and the target itself
// (the canary), with their images and ready/desired replicas, for `watch` and `describe`.

export interface WorkloadSummary {
  name: string;
  images: string[];
  ready: number;
  desired: number;
}

export interface CanaryWorkloads {
  primary: WorkloadSummary | undefined;
  canary: WorkloadSummary | undefined;
}

interface Workload {
  metadata: { name: string };
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  status?: { readyReplicas?: number; replicas?: number; numberReady?: number; desiredNumberScheduled?: number };
}

const RESOURCES: Readonly<Record<string, string>> = { Deployment: 'deployments', DaemonSet: 'daemonsets' };

async function readWorkload(
  client: ClusterClient,
  namespace: string,
  kind: string,
  name: string,
): Promise<WorkloadSummary | undefined> {
  const resource = RESOURCES[kind];
  if (!resource) return undefined;
  try {
    const workload = await client.request<Workload>(
      'GET',
      `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}`,
    );
    const { spec, status } = workload;
    return {
      name,
      images: (spec?.template?.spec?.containers ?? []).map((container) => container.image ?? ''),
      ready: (kind === 'DaemonSet' ? status?.numberReady : status?.readyReplicas) ?? 0,
      desired: (kind === 'DaemonSet' ? status?.desiredNumberScheduled : spec?.replicas) ?? 0,
    };
  } catch (error) {
    // Not created yet (before initialisation) or not readable: shown as absent, not as a failure of the command.
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return undefined;
    throw error;
  }
}

export async function readCanaryWorkloads(client: ClusterClient, canary: Canary): Promise<CanaryWorkloads> {
  const namespace = canary.metadata.namespace ?? 'default';
  const { kind, name } = canary.spec.targetRef;
  const [primary, target] = await Promise.all([
    readWorkload(client, namespace, kind, `${name}-primary`),
    readWorkload(client, namespace, kind, name),
  ]);
  return { primary, canary: target };
}
