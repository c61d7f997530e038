import { describe, it, expect } from '@jest/globals';
import { hostTrafficShares, parseHttpRoutes, type HostShare } from './virtual-service-routes.ts';

function sharesOf(http: unknown[], matchFraction = 0.1): Record<string, number> {
  const { routes } = parseHttpRoutes({ http });
  const result: Record<string, number> = {};
  for (const share of hostTrafficShares(routes, matchFraction)) {
    result[`${share.mirrored ? 'mirror:' : ''}${share.host}`] = share.share;
  }
  return result;
}

const primary = { destination: { host: 'backend-primary' } };
const canary = { destination: { host: 'backend-canary' } };

describe('weighted routes', () => {
  it('follows Flagger weights, dropping zero-weight destinations', () => {
    expect(
      sharesOf([
        {
          route: [
            { ...primary, weight: 100 },
            { ...canary, weight: 0 },
          ],
        },
      ]),
    ).toEqual({ 'backend-primary': 1 });
    expect(
      sharesOf([
        {
          route: [
            { ...primary, weight: 70 },
            { ...canary, weight: 30 },
          ],
        },
      ]),
    ).toEqual({
      'backend-primary': 0.7,
      'backend-canary': 0.3,
    });
  });

  it('sends everything to a lone destination whatever its weight (Flagger A/B fallback has weight 0)', () => {
    expect(sharesOf([{ route: [{ ...primary, weight: 0 }] }])).toEqual({ 'backend-primary': 1 });
    expect(sharesOf([{ route: [primary] }])).toEqual({ 'backend-primary': 1 });
  });

  it('normalises weights that do not sum to 100, with a problem noted', () => {
    const parsed = parseHttpRoutes({
      http: [
        {
          route: [
            { ...primary, weight: 1 },
            { ...canary, weight: 3 },
          ],
        },
      ],
    });
    expect(parsed.routes[0]?.destinations).toEqual([
      { host: 'backend-primary', share: 0.25 },
      { host: 'backend-canary', share: 0.75 },
    ]);
    expect(parsed.problems.join()).toContain('normalised');
  });

  it('routes nothing when every weight is 0', () => {
    const parsed = parseHttpRoutes({
      http: [
        {
          route: [
            { ...primary, weight: 0 },
            { ...canary, weight: 0 },
          ],
        },
      ],
    });
    expect(hostTrafficShares(parsed.routes, 0.1)).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
  });
});

describe('A/B match routes', () => {
  // Flagger's A/B layout: route 1 matches the analysis headers and goes to the canary, route 2 is the fallback.
  const abRoutes = (serviceMatch: unknown[] | undefined): unknown[] => [
    {
      match: [{ headers: { 'x-canary': { exact: 'insider' } }, ...(serviceMatch ? { uri: { prefix: '/' } } : {}) }],
      route: [
        { ...primary, weight: 0 },
        { ...canary, weight: 100 },
      ],
    },
    { ...(serviceMatch ? { match: serviceMatch } : {}), route: [{ ...primary, weight: 0 }] },
  ];

  it('gives the match fraction to the header route and the rest to the fallback', () => {
    expect(sharesOf(abRoutes(undefined), 0.1)).toEqual({ 'backend-canary': 0.1, 'backend-primary': 0.9 });
    expect(sharesOf(abRoutes(undefined), 0.25)).toEqual({ 'backend-canary': 0.25, 'backend-primary': 0.75 });
  });

  it('treats uri/method conditions (Flagger service.match) as matching all simulated traffic', () => {
    expect(sharesOf(abRoutes([{ uri: { prefix: '/' } }]), 0.1)).toEqual({
      'backend-canary': 0.1,
      'backend-primary': 0.9,
    });
  });

  it('marks a route selective only if all its conditions select on headers, query or source', () => {
    const { routes } = parseHttpRoutes({
      http: [
        { match: [{ headers: {} }, { queryParams: {} }], route: [canary] },
        { match: [{ sourceLabels: { app: 'x' } }, { uri: { exact: '/' } }], route: [canary] },
        { match: [{}], route: [primary] },
      ],
    });
    expect(routes.map((r) => r.selective)).toEqual([true, false, false]);
  });

  it('drops requests that no route matches (the proxy answers 404 itself)', () => {
    const shares = sharesOf([{ match: [{ headers: { a: { exact: 'b' } } }], route: [canary] }], 0.1);
    expect(shares).toEqual({ 'backend-canary': 0.1 });
  });

  it('compounds the fraction over successive selective routes', () => {
    const http = [
      { match: [{ headers: { a: { exact: '1' } } }], route: [canary] },
      { match: [{ headers: { b: { exact: '2' } } }], route: [{ destination: { host: 'other' } }] },
      { route: [primary] },
    ];
    const shares = sharesOf(http, 0.5);
    expect(shares['backend-canary']).toBeCloseTo(0.5, 12);
    expect(shares['other']).toBeCloseTo(0.25, 12);
    expect(shares['backend-primary']).toBeCloseTo(0.25, 12);
  });
});

describe('mirrors', () => {
  it('copies all requests to the mirror host by default, on top of the routed destination', () => {
    expect(
      sharesOf([
        {
          route: [
            { ...primary, weight: 100 },
            { ...canary, weight: 0 },
          ],
          mirror: { host: 'backend-canary' },
        },
      ]),
    ).toEqual({
      'backend-primary': 1,
      'mirror:backend-canary': 1,
    });
  });

  it('honours mirrorPercentage, the legacy mirrorPercent and the mirrors list', () => {
    expect(
      sharesOf([{ route: [primary], mirror: { host: 'backend-canary' }, mirrorPercentage: { value: 25 } }]),
    ).toEqual({
      'backend-primary': 1,
      'mirror:backend-canary': 0.25,
    });
    expect(sharesOf([{ route: [primary], mirror: { host: 'backend-canary' }, mirrorPercent: 10 }])).toEqual({
      'backend-primary': 1,
      'mirror:backend-canary': 0.1,
    });
    expect(
      sharesOf([
        {
          route: [primary],
          mirrors: [{ destination: { host: 'a' }, percentage: { value: 50 } }, { destination: { host: 'b' } }],
        },
      ]),
    ).toEqual({ 'backend-primary': 1, 'mirror:a': 0.5, 'mirror:b': 1 });
  });

  it('mirrors only the share of requests the route takes', () => {
    const http = [
      { match: [{ headers: { a: { exact: '1' } } }], route: [primary], mirror: { host: 'backend-canary' } },
      { route: [primary] },
    ];
    expect(sharesOf(http, 0.2)).toEqual({ 'backend-primary': 1, 'mirror:backend-canary': 0.2 });
  });
});

describe('routes without destinations', () => {
  it('consumes requests answered by the proxy (redirect, directResponse) or delegated', () => {
    const parsed = parseHttpRoutes({
      http: [
        { match: [{ headers: { a: {} } }], redirect: { uri: '/x' } },
        { delegate: { name: 'other' } },
        { route: [primary] },
      ],
    });
    const shares: HostShare[] = hostTrafficShares(parsed.routes, 0.1);
    expect(shares).toEqual([]);
    expect(parsed.problems.join()).toContain('delegate');
  });

  it('ignores specs without http routes (TCP/TLS-only VirtualServices)', () => {
    expect(parseHttpRoutes({ tcp: [{ route: [primary] }] }).routes).toEqual([]);
    expect(parseHttpRoutes(undefined).routes).toEqual([]);
  });
});
