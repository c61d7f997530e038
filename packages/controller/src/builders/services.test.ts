import { describe, expect, it } from '@jest/globals';
import type { CanaryService } from '@linnet/api';
import { CANARY_OWNER, podinfoCanary, podinfoDeployment } from './builder-fixtures.ts';
import { requireService } from './canary-identity.ts';
import { discoverServicePorts } from './service-ports.ts';
import { buildServices, type ServicesInput } from './services.ts';

const selector = { key: 'app', value: 'podinfo' };

function services(service: Partial<CanaryService> = {}, extra: Partial<ServicesInput> = {}) {
  const canary = podinfoCanary({ service: { port: 9898, ...service } });
  return buildServices({ canary, selector, ...extra });
}

/** Flagger's marks on generated objects: Flux must not revert what Linnet writes. */
const GITOPS_OPT_OUT = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};

describe('buildServices (reference §4)', () => {
  it('selects primary pods from the apex and primary Services and target pods from the canary Service', () => {
    const { apex, primary, canary } = services();
    expect([apex.metadata?.name, primary.metadata?.name, canary.metadata?.name]).toEqual([
      'podinfo',
      'podinfo-primary',
      'podinfo-canary',
    ]);
    expect(apex.spec?.selector).toEqual({ app: 'podinfo-primary' });
    expect(primary.spec?.selector).toEqual({ app: 'podinfo-primary' });
    expect(canary.spec?.selector).toEqual({ app: 'podinfo' });
  });

  it('exposes port → targetPort (defaulting to port), named http, as ClusterIP, owned by the Canary', () => {
    const { apex } = services();
    expect(apex).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        labels: { app: 'podinfo' },
        annotations: GITOPS_OPT_OUT,
        ownerReferences: [CANARY_OWNER],
      },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898 }],
        selector: { app: 'podinfo-primary' },
      },
    });
  });

  it.each<[string, Partial<CanaryService>, Record<string, unknown>]>([
    [
      'portName and a named targetPort',
      { port: 80, portName: 'http-podinfo', targetPort: 'http' },
      { name: 'http-podinfo', port: 80, targetPort: 'http' },
    ],
    ['a numeric targetPort', { port: 80, targetPort: 9898 }, { name: 'http', port: 80, targetPort: 9898 }],
    ['gRPC with appProtocol', { portName: 'grpc', appProtocol: 'grpc' }, { name: 'grpc', appProtocol: 'grpc' }],
  ])('sets the first port from %s', (_case, service, expected) => {
    for (const built of Object.values(services(service))) {
      expect(built.spec?.ports?.[0]).toMatchObject({ protocol: 'TCP', ...expected });
    }
  });

  it('supports headless Services and trafficDistribution', () => {
    const { canary } = services({ headless: true, trafficDistribution: 'PreferClose' });
    expect(canary.spec).toMatchObject({ clusterIP: 'None', trafficDistribution: 'PreferClose' });
  });

  it('labels each Service <selectorKey>: <its name> and applies apex/primary/canary metadata', () => {
    const built = services({
      apex: {
        labels: { tier: 'edge' },
        annotations: { 'example.com/apex': 'yes', 'kustomize.toolkit.fluxcd.io/x': 'y' },
      },
      primary: { labels: { role: 'primary' } },
      canary: { annotations: { 'example.com/canary': 'yes' } },
    });
    expect(built.apex.metadata).toMatchObject({
      labels: { tier: 'edge', app: 'podinfo' },
      annotations: { 'example.com/apex': 'yes' },
    });
    expect(built.primary.metadata?.labels).toEqual({ role: 'primary', app: 'podinfo-primary' });
    expect(built.primary.metadata?.annotations).toEqual(GITOPS_OPT_OUT);
    expect(built.canary.metadata).toMatchObject({
      labels: { app: 'podinfo-canary' },
      annotations: { 'example.com/canary': 'yes' },
    });
  });

  it('leaves unmanagedMetadata keys out, so users keep them', () => {
    const { apex } = services({
      apex: { labels: { tier: 'edge', owner: 'x' }, annotations: { 'example.com/a': '1', 'example.com/b': '2' } },
      unmanagedMetadata: { labels: ['owner'], annotations: ['example.com/b'] },
    });
    expect(apex.metadata?.labels).toEqual({ tier: 'edge', app: 'podinfo' });
    expect(apex.metadata?.annotations).toEqual({ 'example.com/a': '1', ...GITOPS_OPT_OUT });
  });

  it('takes over an adopted Service (selector, ports) without owning, retyping or relabelling it', () => {
    const { apex, primary } = services({ apex: { labels: { tier: 'edge' } } }, { adoptedServices: ['apex'] });
    expect(apex).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'podinfo', namespace: 'test' },
      spec: {
        ports: [{ name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898 }],
        selector: { app: 'podinfo-primary' },
      },
    });
    expect(primary.metadata?.ownerReferences).toEqual([CANARY_OWNER]);
  });

  it('uses service.name for all three', () => {
    const { apex, primary, canary } = services({ name: 'frontend' });
    expect([apex.metadata?.name, primary.metadata?.name, canary.metadata?.name]).toEqual([
      'frontend',
      'frontend-primary',
      'frontend-canary',
    ]);
    expect(apex.metadata?.labels).toEqual({ app: 'frontend' });
  });
});

describe('port discovery', () => {
  const podSpec = podinfoDeployment().spec?.template.spec;

  it('adds the other container ports, skipping the target port and sidecars', () => {
    const service = requireService(podinfoCanary({ service: { port: 9898, portDiscovery: true } }));
    const discovered = discoverServicePorts(podSpec, service);
    expect(discovered).toEqual([
      { name: 'http-metrics', protocol: 'TCP', port: 9797, targetPort: 9797 },
      { name: 'grpc', protocol: 'TCP', port: 9999, targetPort: 9999 },
    ]);
    const canary = podinfoCanary({ service: { port: 9898, portDiscovery: true } });
    const { apex } = buildServices({ canary, selector, discoveredPorts: discovered });
    expect(apex.spec?.ports?.map((p) => p.name)).toEqual(['http', 'http-metrics', 'grpc']);
  });

  it('skips the container port named by a string targetPort and names unnamed ports tcp-<container>-<index>', () => {
    const service = requireService(podinfoCanary({ service: { port: 80, targetPort: 'grpc', portName: 'grpc' } }));
    const spec = structuredClone(podSpec);
    spec?.containers[0]?.ports?.push({ containerPort: 8080 });
    expect(discoverServicePorts(spec, service)).toEqual([
      { name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898 },
      { name: 'http-metrics', protocol: 'TCP', port: 9797, targetPort: 9797 },
      { name: 'tcp-podinfod-3', protocol: 'TCP', port: 8080, targetPort: 8080 },
    ]);
  });

  it('ignores discovered ports unless portDiscovery is on', () => {
    const { apex } = buildServices({
      canary: podinfoCanary(),
      selector,
      discoveredPorts: [{ name: 'grpc', port: 9999, targetPort: 9999, protocol: 'TCP' }],
    });
    expect(apex.spec?.ports).toHaveLength(1);
  });
});
