// Reading and writing the objects a scenario is about, as a user or a GitOps tool would: apply manifests, change a
// Deployment's pod template, read the Canary, the VirtualService weights and the Canary's events.
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { CanaryStatus } from '@linnet/api';
import { readRoutes, type LiveRoutes, type VirtualService } from '../../../src/builders/index.ts';
import {
  KubeError,
  defineResourceType,
  resourceTypes,
  type KubeAccess,
  type KubeEvent,
  type KubeObject,
  type ResourceType,
} from '../../../src/kube/index.ts';
import { waitUntil, type WaitOptions } from './deadline.ts';
import type { CanaryManifest, DeploymentManifest } from './seed-manifests.ts';

export interface CanaryObject extends CanaryManifest {
  status?: CanaryStatus;
}

export interface DeploymentObject extends DeploymentManifest {
  status?: NonNullable<DeploymentManifest['status']>;
}

export interface ConfigObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export const e2eTypes = {
  canary: defineResourceType<CanaryObject>(resourceTypes.canary),
  deployment: defineResourceType<DeploymentObject>(resourceTypes.deployment),
  configMap: defineResourceType<ConfigObject>(resourceTypes.configMap),
  secret: defineResourceType<ConfigObject>(resourceTypes.secret),
  virtualService: defineResourceType<VirtualService & KubeObject>(resourceTypes.virtualService),
  event: defineResourceType<KubeEvent>(resourceTypes.event),
  gateway: defineResourceType({
    group: 'networking.istio.io',
    version: 'v1beta1',
    kind: 'Gateway',
    plural: 'gateways',
    namespaced: true,
  }),
} as const;

const TYPES_BY_KIND: Readonly<Record<string, ResourceType>> = {
  Canary: e2eTypes.canary,
  Deployment: e2eTypes.deployment,
  ConfigMap: e2eTypes.configMap,
  Secret: e2eTypes.secret,
  VirtualService: e2eTypes.virtualService,
  Gateway: e2eTypes.gateway,
  Namespace: resourceTypes.namespace,
  Service: resourceTypes.service,
  AlertProvider: resourceTypes.alertProvider,
};

/**
 * Server-side apply as `kubectl apply --server-side --force-conflicts` would (field manager "linnet-e2e"). Suites
 * running in parallel may create the same shared object (istio-system/public-gateway) at the same moment; the
 * loser's 409 is retried.
 */
export async function applyObject<T extends KubeObject>(access: KubeAccess, object: T): Promise<T> {
  const type = TYPES_BY_KIND[object.kind ?? ''];
  if (!type) throw new Error(`applyObject: no resource type known for kind ${object.kind ?? '(none)'}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await access.apply(type as ResourceType<T>, object, { force: true });
    } catch (error) {
      const raced = error instanceof KubeError && (error.reason === 'Conflict' || error.reason === 'AlreadyExists');
      if (!raced || attempt >= 3) throw error;
    }
  }
}

export async function applyObjects(access: KubeAccess, objects: readonly KubeObject[]): Promise<void> {
  for (const object of objects) await applyObject(access, object);
}

/**
 * Changes a Deployment's pod template with a JSON merge patch, as `kubectl set image` / `kubectl annotate` would.
 * Only the template is sent, so the replica count Linnet manages is left alone. A `containers` list replaces the
 * live one as a whole (merge-patch semantics): pass every container.
 */
export async function patchPodTemplate(
  access: KubeAccess,
  namespace: string,
  name: string,
  template: V1PodTemplateSpec,
): Promise<DeploymentObject> {
  return access.mergePatch(e2eTypes.deployment, { namespace, name }, { spec: { template } });
}

/** Sets the image of the (first) container `podinfo`, keeping its name. */
export async function setImage(
  access: KubeAccess,
  namespace: string,
  name: string,
  image: string,
  extraPodAnnotations: Record<string, string> = {},
): Promise<DeploymentObject> {
  const live = await access.get(e2eTypes.deployment, { namespace, name });
  const containers = structuredClone(live?.spec?.template.spec?.containers ?? []);
  const first = containers[0];
  if (!first) throw new Error(`deployment ${namespace}/${name} has no container`);
  first.image = image;
  return patchPodTemplate(access, namespace, name, {
    ...(Object.keys(extraPodAnnotations).length > 0 && { metadata: { annotations: extraPodAnnotations } }),
    spec: { containers },
  });
}

export async function getCanary(access: KubeAccess, namespace: string, name: string): Promise<CanaryObject> {
  const canary = await access.get(e2eTypes.canary, { namespace, name });
  if (!canary) throw new Error(`Canary ${namespace}/${name} not found`);
  return canary;
}

export async function getDeployment(
  access: KubeAccess,
  namespace: string,
  name: string,
): Promise<DeploymentObject | undefined> {
  return access.get(e2eTypes.deployment, { namespace, name });
}

/** The image `<name>-primary` runs: what a promotion changes and a rollback must leave alone. */
export async function primaryImage(access: KubeAccess, namespace: string, name: string): Promise<string | undefined> {
  return (await getDeployment(access, namespace, `${name}-primary`))?.spec?.template.spec?.containers[0]?.image;
}

/** The weights of the live VirtualService `name`, as Linnet reads them; undefined if it does not exist. */
export async function readVirtualServiceRoutes(
  access: KubeAccess,
  namespace: string,
  name: string,
): Promise<LiveRoutes | undefined> {
  const vs = await access.get(e2eTypes.virtualService, { namespace, name });
  return vs ? readRoutes(vs) : undefined;
}

export interface CanaryEventRecord {
  type: string;
  reason: string;
  message: string;
  time: string;
  count: number;
}

/** Events about the Canary `name` (events.k8s.io/v1), oldest first. */
export async function listCanaryEvents(
  access: KubeAccess,
  namespace: string,
  name: string,
): Promise<CanaryEventRecord[]> {
  const { items } = await access.list(e2eTypes.event, { namespace });
  return items
    .filter((event) => event.regarding.kind === 'Canary' && event.regarding.name === name)
    .map((event) => ({
      type: event.type,
      reason: event.reason,
      message: event.note,
      time: event.series?.lastObservedTime ?? event.eventTime,
      count: event.series?.count ?? 1,
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * Waits until the Canary's events include every message in `messages`: listing events right after seeing a status
 * may race with the controller and with the API server's caches. Returns all events.
 */
export async function waitForCanaryEvents(
  access: KubeAccess,
  namespace: string,
  name: string,
  messages: readonly (string | RegExp)[],
  options: WaitOptions,
): Promise<CanaryEventRecord[]> {
  return waitUntil(
    `events ${messages.map(String).join(' | ')} on Canary ${namespace}/${name}`,
    async () => {
      const events = await listCanaryEvents(access, namespace, name);
      const missing = messages.filter(
        (expected) =>
          !events.some((event) =>
            typeof expected === 'string' ? event.message === expected : expected.test(event.message),
          ),
      );
      return missing.length === 0
        ? { done: true, value: events }
        : { done: false, seen: `missing ${missing.map(String).join(', ')}` };
    },
    { intervalMs: 250, ...options },
  );
}
