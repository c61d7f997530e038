import { describe, expect, it } from '@jest/globals';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { CANARY_OWNER, podinfoCanary, podinfoDeployment } from './builder-fixtures.ts';
import { listConfigReferences } from './config-references.ts';
import { buildPrimaryHorizontalPodAutoscaler } from './primary-autoscaler.ts';
import { buildPrimaryConfigMap, buildPrimarySecret } from './primary-configs.ts';

const hpa: V2HorizontalPodAutoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {
    name: 'podinfo',
    namespace: 'test',
    labels: { app: 'podinfo', 'example.com/team': 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'x' },
  },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    minReplicas: 2,
    maxReplicas: 4,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 99 } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
  },
};
const autoscalerRef = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' as const, name: 'podinfo' };

describe('buildPrimaryHorizontalPodAutoscaler (reference §3.2)', () => {
  it('scales <target>-primary with the target HPA’s bounds, metrics and behavior', () => {
    const built = buildPrimaryHorizontalPodAutoscaler({
      canary: podinfoCanary({ autoscalerRef }),
      targetAutoscaler: hpa,
      includeLabelPrefixes: ['example.com/'],
    });
    expect(built).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'podinfo-primary',
        namespace: 'test',
        labels: { 'example.com/team': 'web' },
        annotations: { note: 'x' },
        ownerReferences: [CANARY_OWNER],
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo-primary' },
        minReplicas: 2,
        maxReplicas: 4,
        metrics: hpa.spec?.metrics,
        behavior: hpa.spec?.behavior,
      },
    });
  });

  it('lets primaryScalerReplicas override min and max', () => {
    const built = buildPrimaryHorizontalPodAutoscaler({
      canary: podinfoCanary({
        autoscalerRef: { ...autoscalerRef, primaryScalerReplicas: { minReplicas: 3, maxReplicas: 10 } },
      }),
      targetAutoscaler: hpa,
      includeLabelPrefixes: [],
    });
    expect(built.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(built.metadata?.labels).toBeUndefined();
  });
});

describe('primary ConfigMap and Secret copies (reference §3.5)', () => {
  it('copies a ConfigMap’s data to <name>-primary, owned by the Canary', () => {
    const built = buildPrimaryConfigMap({
      canary: podinfoCanary(),
      source: {
        metadata: { name: 'podinfo-config', namespace: 'test', labels: { app: 'podinfo' }, annotations: { a: 'b' } },
        data: { color: 'blue' },
        binaryData: { logo: 'iVBORw0=' },
      },
      includeLabelPrefixes: ['*'],
    });
    expect(built).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'podinfo-config-primary',
        namespace: 'test',
        labels: { app: 'podinfo' },
        ownerReferences: [CANARY_OWNER],
      },
      data: { color: 'blue' },
      binaryData: { logo: 'iVBORw0=' },
    });
  });

  it('copies a Secret’s type and data', () => {
    const built = buildPrimarySecret({
      canary: podinfoCanary(),
      source: {
        metadata: { name: 'podinfo-secret', labels: { app: 'podinfo' } },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': 'Y3J0' },
      },
      includeLabelPrefixes: [],
    });
    expect(built).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'podinfo-secret-primary', namespace: 'test', ownerReferences: [CANARY_OWNER] },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'Y3J0' },
    });
  });
});

describe('listConfigReferences', () => {
  it('finds every ConfigMap and Secret a pod uses, in the places Flagger scans', () => {
    const references = listConfigReferences(podinfoDeployment().spec?.template.spec);
    expect(references.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
      'ConfigMap/podinfo-config',
      'ConfigMap/podinfo-config-proj',
      'ConfigMap/podinfo-config-vol',
      'ConfigMap/podinfo-env',
      'ConfigMap/shared-config',
      'Secret/podinfo-secret',
      'Secret/podinfo-secret-env',
      'Secret/podinfo-secret-proj',
      'Secret/podinfo-secret-vol',
    ]);
  });

  it('reports a reference as optional only if it is optional everywhere', () => {
    const references = listConfigReferences({
      containers: [
        {
          name: 'a',
          envFrom: [{ configMapRef: { name: 'both', optional: true } }, { secretRef: { name: 'opt', optional: true } }],
          env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'both', key: 'x' } } }],
        },
      ],
    });
    expect(references).toEqual([
      { kind: 'ConfigMap', name: 'both', optional: false },
      { kind: 'Secret', name: 'opt', optional: true },
    ]);
  });
});
