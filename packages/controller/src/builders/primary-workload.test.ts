import { describe, expect, it } from '@jest/globals';
import type { V1DaemonSet, V1Deployment } from '@kubernetes/client-node';
import { CANARY_OWNER, podinfoCanary, podinfoDeployment } from './builder-fixtures.ts';
import { BuilderError } from './builder-error.ts';
import { PROMOTION_ID_ANNOTATION } from './primary-pod-template.ts';
import { buildPrimaryDaemonSet, buildPrimaryDeployment, type PrimaryWorkloadOptions } from './primary-workload.ts';
import { DEFAULT_SELECTOR_LABELS } from './selector-label.ts';

const options: PrimaryWorkloadOptions = {
  selectorLabels: DEFAULT_SELECTOR_LABELS,
  includeLabelPrefixes: [],
  trackedConfigs: {
    configMaps: new Set(['podinfo-env', 'podinfo-config', 'podinfo-config-vol', 'podinfo-config-proj']),
    secrets: new Set(['podinfo-secret', 'podinfo-secret-env', 'podinfo-secret-vol', 'podinfo-secret-proj']),
  },
  promotionId: '3f1c2b7e-0000-4000-8000-000000000001',
};

function primary(overrides: Partial<Parameters<typeof buildPrimaryDeployment>[0]> = {}): V1Deployment {
  return buildPrimaryDeployment({ ...options, canary: podinfoCanary(), target: podinfoDeployment(), ...overrides });
}

describe('buildPrimaryDeployment (reference §3.1)', () => {
  it('names the primary <target>-primary, in the Canary namespace, controlled by the Canary', () => {
    const { metadata } = primary();
    expect(metadata?.name).toBe('podinfo-primary');
    expect(metadata?.namespace).toBe('test');
    expect(metadata?.ownerReferences).toEqual([CANARY_OWNER]);
  });

  it('selects only <value>-primary', () => {
    expect(primary().spec?.selector).toEqual({ matchLabels: { app: 'podinfo-primary' } });
  });

  it.each([
    ['no include prefix: only the selector label', [], { app: 'podinfo-primary' }],
    ['a prefix: matching labels', ['team.example.com'], { app: 'podinfo-primary', 'team.example.com/owner': 'web' }],
    ['*: all labels but Flux toolkit keys', ['*'], { app: 'podinfo-primary', 'team.example.com/owner': 'web' }],
  ])('copies deployment labels with %s', (_case, includeLabelPrefixes, expected) => {
    expect(primary({ includeLabelPrefixes }).metadata?.labels).toEqual(expected);
  });

  it('copies annotations except Flux toolkit keys and other writers’ bookkeeping', () => {
    expect(primary().metadata?.annotations).toEqual({ 'example.com/contact': 'web@example.com' });
  });

  it('copies the rollout settings', () => {
    const { spec } = primary();
    expect(spec).toMatchObject({
      progressDeadlineSeconds: 60,
      minReadySeconds: 5,
      revisionHistoryLimit: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
    });
  });

  it('rewrites the template selector label, drops Flux keys and stamps the promotion id', () => {
    const template = primary().spec?.template;
    expect(template?.metadata?.labels).toEqual({ app: 'podinfo-primary', version: 'v1' });
    expect(template?.metadata?.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      [PROMOTION_ID_ANNOTATION]: options.promotionId,
    });
    const custom = primary({ promotionIdAnnotation: 'example.com/rollout-id', promotionId: 'x' });
    expect(custom.spec?.template.metadata?.annotations?.['example.com/rollout-id']).toBe('x');
  });

  it('renames tracked ConfigMap and Secret references in containers, init containers and volumes', () => {
    const pod = primary().spec?.template.spec;
    const [container] = pod?.containers ?? [];
    expect(container?.env?.map((e) => e.valueFrom?.configMapKeyRef?.name ?? e.valueFrom?.secretKeyRef?.name)).toEqual([
      'podinfo-config-primary',
      'podinfo-secret-primary',
      'shared-config',
    ]);
    expect(container?.envFrom).toEqual([{ secretRef: { name: 'podinfo-secret-env-primary' } }]);
    expect(pod?.initContainers?.[0]?.envFrom).toEqual([{ configMapRef: { name: 'podinfo-env-primary' } }]);
    expect(pod?.volumes).toEqual([
      { name: 'config', configMap: { name: 'podinfo-config-vol-primary' } },
      { name: 'secret', secret: { secretName: 'podinfo-secret-vol-primary' } },
      {
        name: 'projected',
        projected: {
          sources: [
            { configMap: { name: 'podinfo-config-proj-primary' } },
            { secret: { name: 'podinfo-secret-proj-primary' } },
          ],
        },
      },
    ]);
  });

  it('points topology spread and pod anti-affinity selectors at the primary pods', () => {
    const pod = primary().spec?.template.spec;
    expect(pod?.topologySpreadConstraints?.[0]?.labelSelector).toEqual({ matchLabels: { app: 'podinfo-primary' } });
    const antiAffinity = pod?.affinity?.podAntiAffinity;
    expect(antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector).toEqual({
      matchExpressions: [{ key: 'app', operator: 'In', values: ['podinfo-primary', 'other'] }],
    });
    expect(antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm.labelSelector).toEqual({
      matchLabels: { app: 'podinfo-primary', tier: 'web' },
    });
  });

  it('does not modify the target', () => {
    const target = podinfoDeployment();
    buildPrimaryDeployment({ ...options, canary: podinfoCanary(), target });
    expect(target).toEqual(podinfoDeployment());
  });

  it.each<[string, number | undefined, number | undefined, boolean, number]>([
    ['target replicas when > 0', 3, undefined, false, 3],
    ['1 when the target has none', undefined, undefined, false, 1],
    ['the live primary’s when the target is scaled to zero', 0, 4, false, 4],
    ['1 when both are zero', 0, 0, false, 1],
    ['target replicas on promotion without autoscaler', 2, 5, false, 2],
    ['the live primary’s with an autoscaler (the HPA owns it)', 2, 5, true, 5],
    ['target replicas with an autoscaler before the primary exists', 2, undefined, true, 2],
  ])('sets replicas to %s', (_case, targetReplicas, liveReplicas, autoscaler, expected) => {
    const target = podinfoDeployment();
    if (target.spec) target.spec.replicas = targetReplicas;
    const canary = podinfoCanary(
      autoscaler
        ? { autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'podinfo' } }
        : {},
    );
    const existingPrimary =
      liveReplicas === undefined ? undefined : ({ spec: { replicas: liveReplicas } } as V1Deployment);
    expect(buildPrimaryDeployment({ ...options, canary, target, existingPrimary }).spec?.replicas).toBe(expected);
  });

  it('uses the first selector label found, in flag order', () => {
    const target = podinfoDeployment();
    if (target.spec) target.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'podinfo', name: 'pi' } };
    const built = buildPrimaryDeployment({ ...options, canary: podinfoCanary(), target });
    expect(built.spec?.selector).toEqual({ matchLabels: { name: 'pi-primary' } });
  });

  it('fails with SelectorLabelMissing when no selector label is present', () => {
    const target = podinfoDeployment();
    if (target.spec) target.spec.selector = { matchLabels: { component: 'web' } };
    expect(() => buildPrimaryDeployment({ ...options, canary: podinfoCanary(), target })).toThrow(
      new BuilderError(
        'SelectorLabelMissing',
        'deployment podinfo.test spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]',
      ),
    );
  });
});

describe('buildPrimaryDaemonSet', () => {
  function daemonSet(): V1DaemonSet {
    const deployment = podinfoDeployment();
    const template = structuredClone(deployment.spec?.template ?? {});
    if (template.spec) template.spec.nodeSelector = { 'flagger.app/scale-to-zero': 'true', disk: 'ssd' };
    return {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { ...deployment.metadata, annotations: { 'deprecated.daemonset.template.generation': '3' } },
      spec: {
        minReadySeconds: 3,
        revisionHistoryLimit: 2,
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: { app: 'podinfo' } },
        template,
      },
    };
  }

  it('builds <target>-primary without replicas and without the scale-to-zero node selector', () => {
    const built = buildPrimaryDaemonSet({ ...options, canary: podinfoCanary(), target: daemonSet() });
    expect(built.kind).toBe('DaemonSet');
    expect(built.metadata).toMatchObject({
      name: 'podinfo-primary',
      namespace: 'test',
      labels: { app: 'podinfo-primary' },
    });
    expect(built.metadata?.annotations).toBeUndefined();
    expect(built.spec).toMatchObject({
      minReadySeconds: 3,
      revisionHistoryLimit: 2,
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: { app: 'podinfo-primary' } },
    });
    expect(built.spec).not.toHaveProperty('replicas');
    expect(built.spec?.template.spec?.nodeSelector).toEqual({ disk: 'ssd' });
    expect(built.spec?.template.metadata?.labels?.['app']).toBe('podinfo-primary');
  });
});
