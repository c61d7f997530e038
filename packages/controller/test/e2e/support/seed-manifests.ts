// The seed walkthrough's objects (examples/rollout), parameterised for a test namespace and fast intervals. The
// shapes mirror the example manifests; a test changes only what its scenario is about.
import type { V1Deployment } from '@kubernetes/client-node';
import type { CanarySpec } from '@linnet/api';
import type { KubeObject } from '../../../src/kube/index.ts';

/** Image of the seed's first version, and the "new" image of the walkthrough. */
export const SEED_IMAGE_V1 = 'ghcr.io/stefanprodan/podinfo:6.0.0';
export const SEED_IMAGE_V2 = 'ghcr.io/stefanprodan/podinfo:6.0.1';
export const SEED_IMAGE_V3 = 'ghcr.io/stefanprodan/podinfo:6.0.2';

/**
 * The statusSequence of a complete, successful run of seedCanary's default analysis after initialisation: weights
 * 10..50, promotion and drain.
 */
export const SEED_FULL_RUN: readonly string[] = [
  'Progressing/0',
  'Progressing/10',
  'Progressing/20',
  'Progressing/30',
  'Progressing/40',
  'Progressing/50',
  'Promoting/50',
  'Finalising/0',
  'Succeeded/0',
];

export interface SeedDeploymentOptions {
  namespace: string;
  /** Default "backend". */
  name?: string;
  image?: string;
  /** Default 2, as in the seed. */
  replicas?: number;
  /** Mesh simulator behaviour: fraction of 5xx answers (sim.linnet.dev/error-rate). Default 0. */
  errorRate?: number;
  /** Mesh simulator median latency (sim.linnet.dev/latency-ms). Default 40. */
  latencyMs?: number;
  /** Extra pod-template annotations. */
  podAnnotations?: Record<string, string>;
  /** Volumes and env of the container, e.g. to reference tracked ConfigMaps/Secrets. */
  volumes?: NonNullable<NonNullable<V1Deployment['spec']>['template']['spec']>['volumes'];
  volumeMounts?: { name: string; mountPath: string }[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } }; value?: string }[];
}

export type DeploymentManifest = V1Deployment & KubeObject;

/** The seed's Deployment: `backend` (podinfo on 9898), labels app: backend, 2 replicas. */
export function seedDeployment(options: SeedDeploymentOptions): DeploymentManifest {
  const name = options.name ?? 'backend';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: simulatorAnnotations(options) },
        spec: {
          containers: [
            {
              name: 'podinfo',
              image: options.image ?? SEED_IMAGE_V1,
              ports: [{ name: 'http', containerPort: 9898, protocol: 'TCP' }],
              ...(options.env && { env: options.env }),
              ...(options.volumeMounts && { volumeMounts: options.volumeMounts }),
            },
          ],
          ...(options.volumes && { volumes: options.volumes }),
        },
      },
    },
  };
}

/** The pod-template annotations the mesh simulator reads (docs/mesh-simulator.md). */
export function simulatorAnnotations(options: {
  errorRate?: number;
  latencyMs?: number;
  podAnnotations?: Record<string, string>;
}): Record<string, string> {
  return {
    'sim.linnet.dev/error-rate': String(options.errorRate ?? 0),
    'sim.linnet.dev/latency-ms': String(options.latencyMs ?? 40),
    ...options.podAnnotations,
  };
}

export interface SeedCanaryOptions {
  namespace: string;
  /** Canary and target name; default "backend". */
  name?: string;
  /** URL of the rollout webhook (a local receiver in tests; the example points at the cluster's test loader). */
  rolloutWebhookUrl?: string;
  /** Analysis interval; default 5s (the seed uses 90s). The controller must run with -min-analysis-interval ≤ it. */
  interval?: string;
  /** Window of both metric queries; default 15s (≥ 2 Prometheus scrapes, 1 s apart in the testenv). */
  metricInterval?: string;
  threshold?: number;
  stepWeight?: number;
  maxWeight?: number;
  progressDeadlineSeconds?: number;
  /** Replace or extend the analysis (e.g. other webhooks); merged over the seed's. */
  analysis?: Partial<NonNullable<CanarySpec['analysis']>>;
}

export interface CanaryManifest extends KubeObject {
  spec: CanarySpec;
}

/** The Canary Kurator renders from the seed's rolloutPolicy (examples/rollout/canary.yaml), in `namespace`. */
export function seedCanary(options: SeedCanaryOptions): CanaryManifest {
  const name = options.name ?? 'backend';
  const metricInterval = options.metricInterval ?? '15s';
  const webhooks = options.rolloutWebhookUrl
    ? [
        {
          name: `${name}-rollout`,
          type: 'rollout' as const,
          url: options.rolloutWebhookUrl,
          timeout: '60s',
          metadata: { type: 'cmd', cmd: `hey -z 1m -q 10 -c 2 http://${name}-canary.${options.namespace}:9898/` },
        },
      ]
    : [];
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: options.namespace },
    spec: {
      progressDeadlineSeconds: options.progressDeadlineSeconds ?? 600,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: {
        name,
        port: 9898,
        timeout: '60s',
        gateways: ['istio-system/public-gateway'],
        hosts: [`${name}.${options.namespace}`],
      },
      analysis: {
        interval: options.interval ?? '5s',
        threshold: options.threshold ?? 2,
        maxWeight: options.maxWeight ?? 50,
        stepWeight: options.stepWeight ?? 10,
        metrics: [
          { name: 'request-success-rate', interval: metricInterval, thresholdRange: { min: 99 } },
          { name: 'request-duration', interval: metricInterval, thresholdRange: { max: 500 } },
        ],
        webhooks,
        ...options.analysis,
      },
    },
  };
}

/**
 * The seed's public ingress gateway istio-system/public-gateway (examples/rollout/gateway.yaml). Shared by every
 * suite; applying it again is a no-op.
 */
export function seedGateway(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      metadata: { name: 'public-gateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    } as KubeObject,
  ];
}
