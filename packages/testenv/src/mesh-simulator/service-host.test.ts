import { describe, it, expect } from '@jest/globals';
import { parseServiceHost, serviceFqdn } from './service-host.ts';

describe('parseServiceHost', () => {
  it('resolves short names in the VirtualService namespace', () => {
    expect(parseServiceHost('backend-canary', 'test')).toEqual({ name: 'backend-canary', namespace: 'test' });
  });

  it('reads the namespace from name.ns, name.ns.svc and FQDNs with any cluster domain', () => {
    for (const host of [
      'backend-primary.prod',
      'backend-primary.prod.svc',
      'backend-primary.prod.svc.cluster.local',
      'backend-primary.prod.svc.corp.example',
    ]) {
      expect(parseServiceHost(host, 'test')).toEqual({ name: 'backend-primary', namespace: 'prod' });
    }
  });

  it('treats other hosts as external', () => {
    expect(parseServiceHost('api.example.com', 'test')).toBeUndefined();
    expect(parseServiceHost('a.svc', 'test')).toBeUndefined();
  });

  it('formats destination_service as the cluster FQDN', () => {
    expect(serviceFqdn({ name: 'backend', namespace: 'test' })).toBe('backend.test.svc.cluster.local');
  });
});
