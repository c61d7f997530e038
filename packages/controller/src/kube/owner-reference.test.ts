import { describe, expect, it } from '@jest/globals';
import { controllerOf, controllerReferenceTo, isControlledBy } from './owner-reference.ts';

const canary = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'test', uid: 'uid-1' },
};

describe('owner references', () => {
  it('makes a blocking controller reference from a read object', () => {
    expect(controllerReferenceTo(canary)).toEqual({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: 'podinfo',
      uid: 'uid-1',
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(() => controllerReferenceTo({ ...canary, metadata: { name: 'podinfo' } })).toThrow(TypeError);
  });

  it('finds the controller of an object', () => {
    const owned = {
      metadata: {
        name: 'podinfo-primary',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Other', name: 'x', uid: 'uid-0' }, controllerReferenceTo(canary)],
      },
    };
    expect(controllerOf(owned)?.uid).toBe('uid-1');
    expect(isControlledBy(owned, canary)).toBe(true);
    expect(isControlledBy(owned, { metadata: { uid: 'uid-0' } })).toBe(false);
    expect(isControlledBy({ metadata: {} }, canary)).toBe(false);
  });
});
