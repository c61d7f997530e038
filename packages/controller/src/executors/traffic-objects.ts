// The Istio traffic objects of a Canary (reference §4–§5): three Services, two DestinationRules and the
// VirtualService. They are applied with the split the core asks for (setRoutes) or, between setRoutes, with the
// weights read back from the live VirtualService, so drift is corrected without moving traffic.
import type { TrafficRoutes } from '@linnet/core';
import {
  buildDestinationRules,
  buildServices,
  buildVirtualService,
  discoverServicePorts,
  serviceNames,
  type ServiceRole,
  type SessionAffinityCookies,
} from '../builders/index.ts';
import { asResource, clusterTypes } from '../reconcile/cluster-types.ts';
import { applyIfChanged } from './apply-if-changed.ts';
import { isGeneratedByThisCanary, takeBackFromEarlierCanary } from './canary-ownership.ts';
import { builderCanary, namespaceOf, type ExecutionContext } from './execution-context.ts';
import { originalConfigurationAnnotation } from './original-configuration.ts';

const SERVICE_ROLES: readonly ServiceRole[] = ['apex', 'primary', 'canary'];

/** Applies Services, DestinationRules and the VirtualService with `routes`. */
export async function applyTrafficObjects(
  ctx: ExecutionContext,
  routes: TrafficRoutes,
  cookies: SessionAffinityCookies | undefined,
): Promise<void> {
  const canary = builderCanary(ctx);
  const namespace = namespaceOf(ctx);
  const service = ctx.observed.spec.service;
  if (!service) return;
  const names = serviceNames(service);

  const liveService = (role: ServiceRole) => ctx.view.get(clusterTypes.service, namespace, names[role]);
  // A Service the user created first (typically the apex) is taken over but not owned, as Flagger does.
  const adoptedServices = SERVICE_ROLES.filter((role) => {
    const live = liveService(role);
    return live !== undefined && !isGeneratedByThisCanary(live, ctx);
  });
  const services = buildServices({
    canary,
    selector: ctx.observed.selector,
    discoveredPorts: discoverServicePorts(ctx.observed.podTemplate?.spec, service),
    adoptedServices,
  });
  for (const role of SERVICE_ROLES) {
    await applyIfChanged(ctx.writer, clusterTypes.service, asResource(services[role]), liveService(role));
  }

  const rules = buildDestinationRules({ canary });
  for (const rule of [rules.primary, rules.canary]) {
    const live = ctx.view.get(clusterTypes.destinationRule, namespace, rule.metadata.name ?? '');
    await applyIfChanged(ctx.writer, clusterTypes.destinationRule, asResource(rule), live);
  }

  const liveVirtualService = ctx.view.get(clusterTypes.virtualService, namespace, names.apex);
  // A VirtualService the user created first is taken over but not owned, so deleting the Canary leaves it.
  const adopted = liveVirtualService !== undefined && !isGeneratedByThisCanary(liveVirtualService, ctx);
  const virtualService = asResource(
    buildVirtualService({ canary, weights: routes, ...(cookies && { cookies }), setOwnerReference: !adopted }),
  );
  if (adopted) {
    const metadata = virtualService.metadata ?? {};
    virtualService.metadata = {
      ...metadata,
      annotations: { ...metadata.annotations, ...originalConfigurationAnnotation(liveVirtualService) },
    };
  }
  await applyIfChanged(ctx.writer, clusterTypes.virtualService, virtualService, liveVirtualService);
}

/**
 * Takes back the traffic objects an earlier Canary of the same name left (deleted and applied again) before garbage
 * collection removes them: initialization may find the routes already right and apply nothing.
 */
export async function takeBackTrafficObjects(ctx: ExecutionContext): Promise<void> {
  const service = ctx.observed.spec.service;
  if (!service) return;
  const namespace = namespaceOf(ctx);
  const names = serviceNames(service);
  for (const role of SERVICE_ROLES) {
    const live = ctx.view.get(clusterTypes.service, namespace, names[role]);
    await takeBackFromEarlierCanary(ctx, clusterTypes.service, live);
  }
  for (const name of [names.primary, names.canary]) {
    const rule = ctx.view.get(clusterTypes.destinationRule, namespace, name);
    await takeBackFromEarlierCanary(ctx, clusterTypes.destinationRule, rule);
  }
  const virtualService = ctx.view.get(clusterTypes.virtualService, namespace, names.apex);
  await takeBackFromEarlierCanary(ctx, clusterTypes.virtualService, virtualService);
}
