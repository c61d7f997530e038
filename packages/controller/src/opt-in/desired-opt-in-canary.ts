import {
  DEFAULT_OPT_IN_POLICY,
  GROUP_VERSION,
  MANAGED_BY_ANNOTATIONS_LABEL,
  checkOptInPolicy,
  parseOptInAnnotations,
  type OptInPolicy,
  type AnnotationProblem,
  type CanarySpec,
  type OptInWorkload,
  type PrivateTestLoader,
} from '@linnet/api';
import type { KubeObject } from '../kube/kube-object.ts';
import { controllerOf, controllerReferenceTo } from '../kube/owner-reference.ts';

export type OptInWorkloadKind = OptInWorkload['kind'];

/** A Deployment or DaemonSet as the API (or an informer cache) returns it. */
export interface WorkloadObject extends KubeObject {
  spec?: unknown;
}

/** The Canary Linnet keeps for an opted-in workload: the fields it owns, ready for server-side apply. */
export interface GeneratedCanary extends KubeObject {
  apiVersion: string;
  kind: 'Canary';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: NonNullable<NonNullable<KubeObject['metadata']>['ownerReferences']>;
  };
  spec: CanarySpec;
}

export interface OptInDecision {
  /** The Canary to keep; absent when the workload is not opted in or an annotation is malformed. */
  canary?: GeneratedCanary;
  /** Malformed annotations, or settings the operator's opt-in policy refuses; when any, nothing is to change. */
  problems: AnnotationProblem[];
  /** True when the workload asks for a Canary (linnet.dev/canary: enabled), even a malformed one. */
  optedIn: boolean;
  /** The load tests go to the workload's own test loader, which must exist. */
  privateTestLoader?: PrivateTestLoader;
}

const NOT_OPTED_IN: OptInDecision = { problems: [], optedIn: false };

/**
 * Objects Linnet generates from a Canary (the `<name>-primary` copy, which carries the target's annotations) are
 * never opted in themselves.
 */
function isGeneratedByCanary(workload: KubeObject): boolean {
  const controller = controllerOf(workload);
  return controller?.kind === 'Canary' && controller.apiVersion.startsWith('flagger.app/');
}

function asOptInWorkload(workload: WorkloadObject, kind: OptInWorkloadKind): OptInWorkload | undefined {
  const name = workload.metadata?.name;
  const namespace = workload.metadata?.namespace;
  if (!name || !namespace) return undefined;
  return {
    kind,
    metadata: {
      name,
      namespace,
      ...(workload.metadata?.annotations && { annotations: workload.metadata.annotations }),
    },
    // The API server guarantees the Deployment/DaemonSet schema; only the container ports are read.
    spec: workload.spec as OptInWorkload['spec'],
  };
}

/**
 * What the opt-in annotations of a Deployment or DaemonSet ask for: a Canary named after the workload, owned by
 * it (so Kubernetes deletes it with the workload) and labelled as generated, or the problems that prevent it —
 * malformed annotations, or gateways, hosts, webhooks or metrics servers the operator's `policy` does not allow.
 * Pure: the workload must have been read from the API (its uid becomes the owner reference); `kindOfList` is its
 * kind when the object itself does not say.
 */
export function desiredOptInCanary(
  workload: WorkloadObject,
  kindOfList?: OptInWorkloadKind,
  policy: OptInPolicy = DEFAULT_OPT_IN_POLICY,
): OptInDecision {
  // Objects listed from the API carry no kind; the caller knows which list they came from.
  const kind = kindOfList ?? workload.kind;
  if ((kind !== 'Deployment' && kind !== 'DaemonSet') || isGeneratedByCanary(workload)) return NOT_OPTED_IN;
  const optInWorkload = asOptInWorkload(workload, kind);
  if (!optInWorkload) return NOT_OPTED_IN;
  const parsed = parseOptInAnnotations(optInWorkload);
  if (!parsed.canary || parsed.problems.length > 0) return { problems: parsed.problems, optedIn: parsed.optedIn };
  const { name, namespace, annotations = {} } = optInWorkload.metadata;
  const refused = checkOptInPolicy(parsed.canary.spec, { namespace, annotations }, policy);
  if (refused.length > 0) return { problems: refused, optedIn: true };
  const canary: GeneratedCanary = {
    apiVersion: GROUP_VERSION,
    kind: 'Canary',
    metadata: {
      name,
      namespace,
      labels: { [MANAGED_BY_ANNOTATIONS_LABEL]: 'true' },
      ownerReferences: [controllerReferenceTo({ ...workload, apiVersion: 'apps/v1', kind })],
    },
    spec: parsed.canary.spec,
  };
  return {
    canary,
    problems: [],
    optedIn: true,
    ...(parsed.privateTestLoader && { privateTestLoader: parsed.privateTestLoader }),
  };
}
