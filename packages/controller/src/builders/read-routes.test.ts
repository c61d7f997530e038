import { describe, expect, it } from '@jest/globals';
import type { CanaryAnalysis, CanaryService } from '@linnet/api';
import { podinfoCanary } from './builder-fixtures.ts';
import { BuilderError } from './builder-error.ts';
import type { VirtualService } from './istio-types.ts';
import { readRoutes } from './read-routes.ts';
import { buildVirtualService, type RouteWeights } from './virtual-service.ts';

const cookies = { canary: 'c=abc', primary: 'p=def', previous: 'c=old' };

const configurations: [string, Partial<CanaryService>, CanaryAnalysis][] = [
  ['canary', {}, {}],
  ['gateway + portDiscovery', { gateways: ['public'], portDiscovery: true }, {}],
  [
    'A/B',
    { match: [{ uri: { prefix: '/' } }] },
    { iterations: 5, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] },
  ],
  ['session affinity', {}, { sessionAffinity: { cookieName: 'c', primaryCookieName: 'p' } }],
  ['mirroring', {}, { mirror: true, mirrorWeight: 20 }],
  ['TCP', { appProtocol: 'tcp' }, {}],
];
const weightSets: RouteWeights[] = [
  { primaryWeight: 100, canaryWeight: 0 },
  { primaryWeight: 90, canaryWeight: 10 },
  { primaryWeight: 40, canaryWeight: 60 },
  { primaryWeight: 0, canaryWeight: 100 },
];

describe('readRoutes reads back what buildVirtualService wrote', () => {
  for (const [name, service, analysis] of configurations) {
    it.each(weightSets)(`${name}: %o`, (weights) => {
      const vs = buildVirtualService({
        canary: podinfoCanary({ service: { port: 9898, ...service }, analysis }),
        weights,
        cookies,
      });
      expect(readRoutes(vs)).toEqual({ ...weights, mirrored: false });
    });
  }

  it('reports mirroring', () => {
    const vs = buildVirtualService({
      canary: podinfoCanary({ analysis: { mirror: true } }),
      weights: { primaryWeight: 100, canaryWeight: 0, mirrored: true },
    });
    expect(readRoutes(vs)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: true });
  });
});

describe('readRoutes on live objects', () => {
  function live(spec: VirtualService['spec']): VirtualService {
    return {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'podinfo', namespace: 'test' },
      spec,
    };
  }

  it('uses the last route that sends to the canary and accepts FQDN hosts', () => {
    const vs = live({
      http: [
        { match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'admin' } }] },
        {
          route: [
            { destination: { host: 'podinfo-primary.test.svc.cluster.local' }, weight: 70 },
            { destination: { host: 'podinfo-canary.test.svc.cluster.local' }, weight: 30 },
          ],
        },
      ],
    });
    expect(readRoutes(vs)).toEqual({ primaryWeight: 70, canaryWeight: 30, mirrored: false });
  });

  it('treats a missing weight as 0 among several destinations', () => {
    const vs = live({
      http: [
        {
          route: [
            { destination: { host: 'podinfo-primary' }, weight: 100 },
            { destination: { host: 'podinfo-canary' } },
          ],
        },
      ],
    });
    expect(readRoutes(vs)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it('takes the service name from the caller when it differs from the VirtualService name', () => {
    const vs = live({
      http: [
        {
          route: [
            { destination: { host: 'web-primary' }, weight: 50 },
            { destination: { host: 'web-canary' }, weight: 50 },
          ],
        },
      ],
    });
    expect(readRoutes(vs, 'web')).toEqual({ primaryWeight: 50, canaryWeight: 50, mirrored: false });
  });

  it('fails with VirtualServiceRoutesMissing when it has no primary/canary routes', () => {
    const vs = live({ http: [{ route: [{ destination: { host: 'someone-else' } }] }] });
    expect(() => readRoutes(vs)).toThrow(
      new BuilderError(
        'VirtualServiceRoutesMissing',
        'VirtualService podinfo.test does not contain routes for podinfo-primary and podinfo-canary',
      ),
    );
  });
});
