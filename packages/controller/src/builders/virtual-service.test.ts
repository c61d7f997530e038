import { describe, expect, it } from '@jest/globals';
import type { CanaryAnalysis, CanaryService } from '@linnet/api';
import { CANARY_OWNER, podinfoCanary } from './builder-fixtures.ts';
import { BuilderError } from './builder-error.ts';
import { buildVirtualService, mergeMatchConditions, type VirtualServiceInput } from './virtual-service.ts';

const primary = { host: 'podinfo-primary' };
const canary = { host: 'podinfo-canary' };

function vs(
  service: Partial<CanaryService> = {},
  analysis: CanaryAnalysis = {},
  rest: Partial<Omit<VirtualServiceInput, 'canary'>> = {},
) {
  return buildVirtualService({
    canary: podinfoCanary({
      service: { port: 9898, ...service },
      analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, ...analysis },
    }),
    weights: { primaryWeight: 90, canaryWeight: 10 },
    ...rest,
  });
}

describe('buildVirtualService: canary strategy (reference §5.2)', () => {
  it('routes the apex host on the mesh gateway by weight between the primary and canary hosts', () => {
    expect(vs()).toEqual({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: {
        name: 'podinfo',
        namespace: 'test',
        // Flagger's marks: Flux must not revert the routes Linnet writes.
        annotations: {
          'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
          'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
        },
        ownerReferences: [CANARY_OWNER],
      },
      spec: {
        hosts: ['podinfo'],
        gateways: ['mesh'],
        http: [
          {
            route: [
              { destination: primary, weight: 90 },
              { destination: canary, weight: 10 },
            ],
          },
        ],
      },
    });
  });

  it.each<[string, Partial<CanaryService>, string[], string[]]>([
    [
      'user gateways replace mesh; apex appended to hosts',
      { gateways: ['istio-system/public'], hosts: ['app.example.com'] },
      ['app.example.com', 'podinfo'],
      ['istio-system/public'],
    ],
    ['mesh listed with another gateway', { gateways: ['public', 'mesh'] }, ['podinfo'], ['public', 'mesh']],
    ['* host: apex not appended', { hosts: ['*'] }, ['*'], ['mesh']],
    [
      'apex already listed',
      { hosts: ['podinfo', 'podinfo.example.com'] },
      ['podinfo', 'podinfo.example.com'],
      ['mesh'],
    ],
  ])('hosts and gateways: %s', (_case, service, hosts, gateways) => {
    expect(vs(service).spec).toMatchObject({ hosts, gateways });
  });

  it('copies match, rewrite (uri, authority), timeout, retries, headers and corsPolicy onto the route', () => {
    const settings: Partial<CanaryService> = {
      match: [{ uri: { prefix: '/api' } }, { uri: { prefix: '/v2' }, ignoreUriCase: true }],
      rewrite: { uri: '/', authority: 'podinfo.internal', type: 'ReplacePrefixMatch' },
      timeout: '30s',
      retries: { attempts: 3, perTryTimeout: '1s', retryOn: 'gateway-error,connect-failure,refused-stream' },
      headers: {
        request: { add: { 'x-envoy-upstream-rq-timeout-ms': '15000' } },
        response: { remove: ['x-powered-by'] },
      },
      corsPolicy: {
        allowOrigins: [{ exact: 'https://example.com' }],
        allowMethods: ['GET', 'POST'],
        maxAge: '24h',
        allowCredentials: true,
      },
    };
    const [route] = vs(settings).spec.http ?? [];
    expect(route).toEqual({
      match: settings.match,
      rewrite: { uri: '/', authority: 'podinfo.internal' },
      timeout: '30s',
      retries: settings.retries,
      headers: settings.headers,
      corsPolicy: settings.corsPolicy,
      route: [
        { destination: primary, weight: 90 },
        { destination: canary, weight: 10 },
      ],
    });
  });

  it.each<[string, Partial<CanaryService>, { number: number } | undefined]>([
    ['portDiscovery on the mesh: no port', { portDiscovery: true }, undefined],
    ['portDiscovery behind a gateway: port', { portDiscovery: true, gateways: ['public'] }, { number: 9898 }],
    ['gateway without portDiscovery: no port', { gateways: ['public'] }, undefined],
    ['portDiscovery with delegation: port', { portDiscovery: true, delegation: true }, { number: 9898 }],
  ])('destination port: %s', (_case, service, port) => {
    const destinations = vs(service).spec.http?.[0]?.route?.map((r) => r.destination);
    expect(destinations).toEqual([
      { host: 'podinfo-primary', ...(port && { port }) },
      { host: 'podinfo-canary', ...(port && { port }) },
    ]);
  });

  it('writes a delegate VirtualService without hosts or gateways', () => {
    const built = vs({ delegation: true });
    expect(built.spec.hosts).toBeUndefined();
    expect(built.spec.gateways).toBeUndefined();
    expect(built.spec.http).toHaveLength(1);
  });

  it('refuses delegation together with hosts or gateways', () => {
    expect(() => vs({ delegation: true, hosts: ['app.example.com'] })).toThrow(BuilderError);
    expect(() => vs({ delegation: true, gateways: ['public'] })).toThrow(
      'Canary test/podinfo: service.delegation excludes service.hosts and service.gateways',
    );
  });

  it('puts the apex labels and annotations on the VirtualService, without Flux keys', () => {
    const built = vs({
      apex: { labels: { tier: 'edge', 'kustomize.toolkit.fluxcd.io/name': 'x' }, annotations: { a: 'b' } },
    });
    expect(built.metadata).toMatchObject({ labels: { tier: 'edge' }, annotations: { a: 'b' } });
  });

  it('leaves owner references off a taken-over VirtualService', () => {
    expect(vs({}, {}, { setOwnerReference: false }).metadata.ownerReferences).toBeUndefined();
  });
});

describe('buildVirtualService: mirroring', () => {
  it('mirrors to the canary host with mirrorPercentage from mirrorWeight', () => {
    const [route] =
      vs({}, { mirror: true, mirrorWeight: 50 }, { weights: { primaryWeight: 100, canaryWeight: 0, mirrored: true } })
        .spec.http ?? [];
    expect(route).toEqual({
      route: [
        { destination: primary, weight: 100 },
        { destination: canary, weight: 0 },
      ],
      mirror: canary,
      mirrorPercentage: { value: 50 },
    });
  });

  it('mirrors everything (no mirrorPercentage) without mirrorWeight, and nothing when not mirrored', () => {
    const mirrored = vs({}, { mirror: true }, { weights: { primaryWeight: 100, canaryWeight: 0, mirrored: true } });
    expect(mirrored.spec.http?.[0]).toMatchObject({ mirror: canary });
    expect(mirrored.spec.http?.[0]?.mirrorPercentage).toBeUndefined();
    const plain = vs({}, { mirror: true, mirrorWeight: 50 });
    expect(plain.spec.http?.[0]?.mirror).toBeUndefined();
  });
});

describe('buildVirtualService: A/B testing', () => {
  const insider = { headers: { 'x-canary': { exact: 'insider' } } };
  const cookie = { headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } } };

  it('sends matching requests by the weights and everything else to the primary', () => {
    const built = vs(
      {},
      { iterations: 10, match: [insider, cookie] },
      { weights: { primaryWeight: 0, canaryWeight: 100 } },
    );
    expect(built.spec.http).toEqual([
      {
        match: [insider, cookie],
        route: [
          { destination: primary, weight: 0 },
          { destination: canary, weight: 100 },
        ],
      },
      { route: [{ destination: primary, weight: 100 }] },
    ]);
  });

  it('merges the A/B conditions with service.match (each × each), keeping the route settings on both routes', () => {
    const built = vs(
      { match: [{ uri: { prefix: '/api' } }, { uri: { prefix: '/v2' } }], timeout: '5s' },
      { iterations: 10, match: [insider, { sourceLabels: { app: 'tester' } }] },
      { weights: { primaryWeight: 0, canaryWeight: 100 } },
    );
    const [abRoute, defaultRoute] = built.spec.http ?? [];
    expect(abRoute?.match).toEqual([
      { uri: { prefix: '/api' }, ...insider },
      { uri: { prefix: '/v2' }, ...insider },
      { uri: { prefix: '/api' }, sourceLabels: { app: 'tester' } },
      { uri: { prefix: '/v2' }, sourceLabels: { app: 'tester' } },
    ]);
    expect(abRoute?.timeout).toBe('5s');
    expect(defaultRoute).toEqual({
      match: [{ uri: { prefix: '/api' } }, { uri: { prefix: '/v2' } }],
      timeout: '5s',
      route: [{ destination: primary, weight: 100 }],
    });
  });

  it('keeps A/B query parameters when merging (Flagger drops them)', () => {
    expect(mergeMatchConditions([{ queryParams: { canary: { exact: 'true' } } }], [{ uri: { prefix: '/' } }])).toEqual([
      { uri: { prefix: '/' }, queryParams: { canary: { exact: 'true' } } },
    ]);
  });

  it('applies the match split with the canary strategy too (match without iterations)', () => {
    const built = vs({}, { match: [insider] });
    expect(built.spec.http?.[0]?.route?.map((r) => r.weight)).toEqual([90, 10]);
    expect(built.spec.http?.[0]?.match).toEqual([insider]);
  });
});

describe('buildVirtualService: session affinity (reference §5.3)', () => {
  const affinity = {
    cookieName: 'canary-flagger-cookie',
    primaryCookieName: 'primary-flagger-cookie',
    domain: 'example.com',
    httpOnly: true,
    path: '/',
    sameSite: 'Lax' as const,
    secure: true,
  };
  const cookies = {
    canary: 'canary-flagger-cookie=AbCdEfGhIj',
    primary: 'primary-flagger-cookie=KlMnOpQrSt',
    previous: 'canary-flagger-cookie=ZyXwVuTsRq',
  };

  it('pins cookie holders to each version and sets the cookies on the weighted route', () => {
    const built = vs({ match: [{ uri: { prefix: '/' } }] }, { sessionAffinity: affinity }, { cookies });
    expect(built.spec.http).toEqual([
      {
        match: [{ uri: { prefix: '/' }, headers: { cookie: { regex: '.*canary-flagger-cookie.*AbCdEfGhIj.*' } } }],
        route: [
          { destination: primary, weight: 0 },
          { destination: canary, weight: 100 },
        ],
      },
      {
        match: [{ uri: { prefix: '/' }, headers: { cookie: { regex: '.*primary-flagger-cookie.*KlMnOpQrSt.*' } } }],
        route: [
          { destination: primary, weight: 100 },
          { destination: canary, weight: 0 },
        ],
      },
      {
        match: [{ uri: { prefix: '/' } }],
        route: [
          {
            destination: primary,
            weight: 90,
            headers: {
              response: {
                add: {
                  'Set-Cookie':
                    'primary-flagger-cookie=KlMnOpQrSt; Max-Age=60; Domain=example.com; HttpOnly; Path=/; SameSite=Lax; Secure',
                },
              },
            },
          },
          {
            destination: canary,
            weight: 10,
            headers: {
              response: {
                add: {
                  'Set-Cookie':
                    'canary-flagger-cookie=AbCdEfGhIj; Max-Age=86400; Domain=example.com; HttpOnly; Path=/; SameSite=Lax; Secure',
                },
              },
            },
          },
        ],
      },
    ]);
  });

  it('without primaryCookieName: only the canary cookie route, maxAge and Partitioned honoured', () => {
    const built = vs(
      {},
      { sessionAffinity: { cookieName: 'c', maxAge: 600, partitioned: true } },
      { cookies: { canary: 'c=abc' } },
    );
    expect(built.spec.http).toHaveLength(2);
    expect(built.spec.http?.[0]?.match).toEqual([{ headers: { cookie: { regex: '.*c.*abc.*' } } }]);
    expect(built.spec.http?.[1]?.route?.[1]?.headers).toEqual({
      response: { add: { 'Set-Cookie': 'c=abc; Max-Age=600; Partitioned' } },
    });
    expect(built.spec.http?.[1]?.route?.[0]?.headers).toBeUndefined();
  });

  it('back at weight 0, expires the previous cookie on requests that carry it', () => {
    const built = vs(
      { headers: { response: { add: { 'x-served-by': 'podinfo' } } } },
      { sessionAffinity: affinity },
      { cookies: { previous: cookies.previous }, weights: { primaryWeight: 100, canaryWeight: 0 } },
    );
    expect(built.spec.http).toEqual([
      {
        match: [{ headers: { cookie: { regex: '.*canary-flagger-cookie.*ZyXwVuTsRq.*' } } }],
        headers: {
          response: { add: { 'x-served-by': 'podinfo', 'Set-Cookie': 'canary-flagger-cookie=ZyXwVuTsRq; Max-Age=-1' } },
        },
        route: [
          { destination: primary, weight: 100 },
          { destination: canary, weight: 0 },
        ],
      },
      {
        headers: { response: { add: { 'x-served-by': 'podinfo' } } },
        route: [
          { destination: primary, weight: 100 },
          { destination: canary, weight: 0 },
        ],
      },
    ]);
  });

  it('mirrors on the weighted route, after the cookie routes', () => {
    const built = vs(
      {},
      { sessionAffinity: affinity, mirror: true },
      {
        cookies: { previous: cookies.previous },
        weights: { primaryWeight: 100, canaryWeight: 0, mirrored: true },
      },
    );
    expect(built.spec.http?.[0]?.mirror).toBeUndefined();
    expect(built.spec.http?.[1]?.mirror).toEqual(canary);
  });
});

describe('buildVirtualService: TCP', () => {
  it('writes a TCP route instead of HTTP when appProtocol is tcp (any case)', () => {
    const built = vs({ appProtocol: 'TCP', match: [{ port: 9898 }, { uri: { prefix: '/' } }], timeout: '5s' });
    expect(built.spec.http).toBeUndefined();
    expect(built.spec.tcp).toEqual([
      {
        match: [{ port: 9898 }, {}],
        route: [
          { destination: primary, weight: 90 },
          { destination: canary, weight: 10 },
        ],
      },
    ]);
  });
});
