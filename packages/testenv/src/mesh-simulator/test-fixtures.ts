/**
 * Builders of Kubernetes objects in their JSON shape, shared by the simulator's unit tests (not used at run time).
 * They mirror what Flagger creates for an Istio canary named `backend`.
 */
import { makeSnapshot, toDeploymentView, toServiceView, toVirtualServiceView } from './cluster-snapshot.ts';
import type { ClusterSnapshot, DeploymentView, ServiceView, VirtualServiceView } from './cluster-snapshot.ts';

export function deployment(
  namespace: string,
  name: string,
  options: { labels?: Record<string, string>; annotations?: Record<string, string>; readyReplicas?: number } = {},
): DeploymentView {
  const labels = options.labels ?? { app: name };
  const view = toDeploymentView({
    metadata: { namespace, name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels, annotations: options.annotations ?? {} } },
    },
    status: { readyReplicas: options.readyReplicas ?? 1 },
  });
  if (!view) throw new Error('bad deployment fixture');
  return view;
}

export function service(namespace: string, name: string, selector: Record<string, string>): ServiceView {
  const view = toServiceView({ metadata: { namespace, name }, spec: { selector, ports: [{ port: 80 }] } });
  if (!view) throw new Error('bad service fixture');
  return view;
}

export function virtualService(
  namespace: string,
  name: string,
  http: unknown[],
  annotations: Record<string, string> = {},
): VirtualServiceView {
  const view = toVirtualServiceView({
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { namespace, name, annotations },
    spec: { hosts: [name], gateways: ['mesh'], http },
  });
  if (!view) throw new Error('bad virtual service fixture');
  return view;
}

/** Flagger's weighted route: one http rule with primary and canary destinations. */
export function weightedRoute(service: string, primaryWeight: number, canaryWeight: number): Record<string, unknown> {
  return {
    route: [
      { destination: { host: `${service}-primary` }, weight: primaryWeight },
      { destination: { host: `${service}-canary` }, weight: canaryWeight },
    ],
  };
}

/** Flagger's canary setup in one namespace: Deployments backend-primary and backend, their Services, and a VS. */
export function flaggerCanary(
  namespace: string,
  http: unknown[],
  options: {
    primaryAnnotations?: Record<string, string>;
    canaryAnnotations?: Record<string, string>;
    canaryReady?: number;
    vsAnnotations?: Record<string, string>;
  } = {},
): ClusterSnapshot {
  return makeSnapshot(
    [
      service(namespace, 'backend', { app: 'backend-primary' }),
      service(namespace, 'backend-primary', { app: 'backend-primary' }),
      service(namespace, 'backend-canary', { app: 'backend' }),
    ],
    [
      deployment(namespace, 'backend-primary', { annotations: options.primaryAnnotations ?? {} }),
      deployment(namespace, 'backend', {
        annotations: options.canaryAnnotations ?? {},
        readyReplicas: options.canaryReady ?? 1,
      }),
    ],
    [virtualService(namespace, 'backend', http, options.vsAnnotations)],
  );
}
