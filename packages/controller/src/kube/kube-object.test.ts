import { describe, expect, it } from '@jest/globals';
import { formatMicroTime } from './micro-time.ts';
import { objectKey, objectKeyOf, parseObjectKey } from './kube-object.ts';
import { truncateUtf8 } from './event-recorder.ts';

describe('object keys', () => {
  it('round-trips namespaced and cluster-scoped keys', () => {
    expect(objectKey({ namespace: 'test', name: 'podinfo' })).toBe('test/podinfo');
    expect(objectKeyOf({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(parseObjectKey('test/podinfo')).toEqual({ namespace: 'test', name: 'podinfo' });
    expect(parseObjectKey('node-1')).toEqual({ name: 'node-1' });
    expect(() => objectKeyOf({ metadata: {} })).toThrow(TypeError);
  });
});

describe('formatMicroTime', () => {
  it('writes six fractional digits', () => {
    expect(formatMicroTime(new Date('2026-11-26T19:00:01.234Z'))).toBe('2026-11-26T19:00:01.234000Z');
  });
});

describe('truncateUtf8', () => {
  it('keeps short text and cuts long text to the byte limit', () => {
    expect(truncateUtf8('short', 10)).toBe('short');
    const cut = truncateUtf8('é'.repeat(100), 21);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(21);
    expect(cut.endsWith('…')).toBe(true);
  });
});
