import { describe, expect, it } from '@jest/globals';
import { CANARY_OWNER, podinfoCanary } from './builder-fixtures.ts';
import { buildDestinationRules } from './destination-rules.ts';

describe('buildDestinationRules (reference §5.1)', () => {
  it('builds one DestinationRule per host, without subsets, with the trafficPolicy copied', () => {
    const trafficPolicy = {
      tls: { mode: 'ISTIO_MUTUAL' as const },
      loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '0s' } } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s' },
    };
    const { primary, canary } = buildDestinationRules({
      canary: podinfoCanary({ service: { port: 9898, trafficPolicy } }),
    });
    expect(primary).toEqual({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'podinfo-primary', namespace: 'test', ownerReferences: [CANARY_OWNER] },
      spec: { host: 'podinfo-primary', trafficPolicy },
    });
    expect(canary.metadata.name).toBe('podinfo-canary');
    expect(canary.spec).toEqual({ host: 'podinfo-canary', trafficPolicy });
  });

  it('omits trafficPolicy when unset and owner references when the mesh is remote', () => {
    const { canary } = buildDestinationRules({ canary: podinfoCanary(), setOwnerReferences: false });
    expect(canary.spec).toEqual({ host: 'podinfo-canary' });
    expect(canary.metadata.ownerReferences).toBeUndefined();
  });
});
