import { describe, expect, it } from '@jest/globals';
import type { VirtualServiceResource } from '../reconcile/cluster-types.ts';
import { ORIGINAL_CONFIGURATION, originalConfigurationAnnotation, originalSpecOf } from './original-configuration.ts';

const userSpec = { hosts: ['podinfo'], http: [{ route: [{ destination: { host: 'podinfo' } }] }] };

function virtualService(annotations: Record<string, string> = {}, spec: object = userSpec): VirtualServiceResource {
  return { metadata: { name: 'podinfo', namespace: 'test', annotations }, spec } as VirtualServiceResource;
}

describe('the original configuration of a taken-over VirtualService', () => {
  it('is recorded from the live spec the first time one without a kubectl record is taken over', () => {
    const annotations = originalConfigurationAnnotation(virtualService());
    expect(JSON.parse(annotations[ORIGINAL_CONFIGURATION] ?? '')).toEqual({ spec: userSpec });
  });

  it('keeps the stored record on later applies, once Linnet has rewritten the routes', () => {
    const stored = JSON.stringify({ spec: userSpec });
    const rewritten = virtualService({ [ORIGINAL_CONFIGURATION]: stored }, { hosts: ['podinfo'], http: [] });
    expect(originalConfigurationAnnotation(rewritten)).toEqual({ [ORIGINAL_CONFIGURATION]: stored });
    expect(originalSpecOf(rewritten)).toEqual(userSpec);
  });

  it("leaves kubectl's last-applied-configuration as the record when there is one", () => {
    const lastApplied = JSON.stringify({ apiVersion: 'networking.istio.io/v1beta1', spec: userSpec });
    const applied = virtualService({ 'kubectl.kubernetes.io/last-applied-configuration': lastApplied });
    expect(originalConfigurationAnnotation(applied)).toEqual({});
    expect(originalSpecOf(applied)).toEqual(userSpec);
  });

  it('has no spec to restore without a readable record', () => {
    expect(originalSpecOf(virtualService({ [ORIGINAL_CONFIGURATION]: '{not json' }))).toBeUndefined();
  });
});
