// Test fixtures shared by the builder unit tests: Flagger's podinfo example, as in the reference's e2e setup.
import type { V1Deployment } from '@kubernetes/client-node';
import { withCanaryDefaults, type CanarySpec } from '@linnet/api';
import type { BuilderCanary } from './canary-identity.ts';

export const CANARY_OWNER = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  name: 'podinfo',
  uid: '0b5d6a3e-1111-4c4c-9999-5f0e2c1a7d42',
  controller: true,
  blockOwnerDeletion: true,
};

export function podinfoCanary(spec: Partial<CanarySpec> = {}): BuilderCanary {
  return {
    metadata: { name: 'podinfo', namespace: 'test', uid: CANARY_OWNER.uid },
    spec: withCanaryDefaults({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10 },
      ...spec,
    }),
  };
}

export function podinfoDeployment(): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'podinfo',
      namespace: 'test',
      labels: { app: 'podinfo', 'team.example.com/owner': 'web', 'kustomize.toolkit.fluxcd.io/name': 'apps' },
      annotations: {
        'deployment.kubernetes.io/revision': '4',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        'kustomize.toolkit.fluxcd.io/checksum': 'abc',
        'example.com/contact': 'web@example.com',
      },
    },
    spec: {
      replicas: 3,
      progressDeadlineSeconds: 60,
      minReadySeconds: 5,
      revisionHistoryLimit: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: {
          labels: { app: 'podinfo', version: 'v1', 'helm.toolkit.fluxcd.io/name': 'podinfo' },
          annotations: { 'prometheus.io/scrape': 'true' },
        },
        spec: {
          initContainers: [{ name: 'init', image: 'busybox', envFrom: [{ configMapRef: { name: 'podinfo-env' } }] }],
          containers: [
            {
              name: 'podinfod',
              image: 'ghcr.io/stefanprodan/podinfo:6.0.0',
              ports: [
                { name: 'http', containerPort: 9898, protocol: 'TCP' },
                { name: 'http-metrics', containerPort: 9797, protocol: 'TCP' },
                { name: 'grpc', containerPort: 9999, protocol: 'TCP' },
              ],
              env: [
                { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'podinfo-config', key: 'color' } } },
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'podinfo-secret', key: 'token' } } },
                { name: 'UNTRACKED', valueFrom: { configMapKeyRef: { name: 'shared-config', key: 'x' } } },
              ],
              envFrom: [{ secretRef: { name: 'podinfo-secret-env' } }],
            },
            { name: 'istio-proxy', image: 'istio/proxyv2', ports: [{ name: 'http-envoy-prom', containerPort: 15090 }] },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'podinfo-config-vol' } },
            { name: 'secret', secret: { secretName: 'podinfo-secret-vol' } },
            {
              name: 'projected',
              projected: {
                sources: [{ configMap: { name: 'podinfo-config-proj' } }, { secret: { name: 'podinfo-secret-proj' } }],
              },
            },
          ],
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { app: 'podinfo' } },
            },
          ],
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  topologyKey: 'kubernetes.io/hostname',
                  labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['podinfo', 'other'] }] },
                },
              ],
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: { app: 'podinfo', tier: 'web' } },
                  },
                },
              ],
            },
          },
        },
      },
    },
  };
}
