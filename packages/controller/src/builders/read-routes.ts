import { BuilderError } from './builder-error.ts';
import type { VirtualService } from './istio-types.ts';

export interface LiveRoutes {
  primaryWeight: number;
  canaryWeight: number;
  mirrored: boolean;
}

interface AnyRoute {
  route?: { destination?: { host?: string }; weight?: number }[];
  mirror?: { host?: string };
}

/**
 * The weights Istio is actually applying (reference §5.2 GetRoutes): from the last HTTP route (TCP when there are
 * no HTTP routes) that sends to `<svc>-canary` — the A/B match route, or the weighted route after session-affinity
 * cookie routes. The decision logic reads these, never the status weight. `serviceName` defaults to the
 * VirtualService's name, which Linnet gives the apex Service's name.
 */
export function readRoutes(vs: Pick<VirtualService, 'metadata' | 'spec'>, serviceName?: string): LiveRoutes {
  const apex = serviceName ?? vs.metadata.name ?? '';
  const primaryHost = `${apex}-primary`;
  const canaryHost = `${apex}-canary`;
  const routes: AnyRoute[] = (vs.spec.http?.length ?? 0) > 0 ? (vs.spec.http ?? []) : (vs.spec.tcp ?? []);

  const weighted = routes.findLast((route) => (route.route ?? []).some((d) => isHost(d.destination?.host, canaryHost)));
  let primaryWeight = 0;
  let canaryWeight = 0;
  const destinations = weighted?.route ?? [];
  for (const destination of destinations) {
    // A lone destination takes all traffic whatever its weight says; an unset weight among several is 0.
    const weight = destinations.length === 1 ? 100 : (destination.weight ?? 0);
    if (isHost(destination.destination?.host, primaryHost)) primaryWeight = weight;
    if (isHost(destination.destination?.host, canaryHost)) canaryWeight = weight;
  }
  if (primaryWeight === 0 && canaryWeight === 0) {
    throw new BuilderError(
      'VirtualServiceRoutesMissing',
      `VirtualService ${vs.metadata.name ?? ''}.${vs.metadata.namespace ?? ''} does not contain routes for ${primaryHost} and ${canaryHost}`,
    );
  }
  return { primaryWeight, canaryWeight, mirrored: Boolean(weighted?.mirror?.host) };
}

/** `podinfo-canary` also matches `podinfo-canary.test` and `podinfo-canary.test.svc.cluster.local`. */
function isHost(host: string | undefined, name: string): boolean {
  return host === name || (host?.startsWith(`${name}.`) ?? false);
}
