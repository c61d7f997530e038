import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  canonicalJson,
  configChecksum,
  goJsonStringMap,
  hasTargetChanged,
  haveConfigsChanged,
  podTemplateHash,
  SHORT_HASH_LENGTH,
  webhookChecksum,
} from './hashing.ts';

const template = {
  metadata: { labels: { app: 'podinfo' }, annotations: { 'prometheus.io/scrape': 'true' } },
  spec: {
    containers: [{ name: 'podinfo', image: 'ghcr.io/stefanprodan/podinfo:6.0.0', ports: [{ containerPort: 9898 }] }],
  },
};

describe('canonicalJson', () => {
  it.each([
    ['sorts keys at every level', { b: 1, a: { d: 2, c: 3 } }, '{"a":{"c":3,"d":2},"b":1}'],
    ['drops null, undefined, empty string, {} and []', { a: null, b: undefined, c: '', d: {}, e: [], f: 1 }, '{"f":1}'],
    ['drops objects that become empty', { a: { b: { c: null } }, f: true }, '{"f":true}'],
    ['keeps false and 0', { a: false, b: 0 }, '{"a":false,"b":0}'],
    ['keeps array positions', { args: ['a', '', 'b'] }, '{"args":["a",null,"b"]}'],
    ['is null for an empty value', {}, 'null'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });
});

describe('podTemplateHash', () => {
  it('is a short hex hash', () => {
    expect(podTemplateHash(template)).toMatch(new RegExp(`^[0-9a-f]{${SHORT_HASH_LENGTH}}$`));
  });

  it('ignores defaulted empty fields, so a client upgrade never re-triggers a rollout', () => {
    const defaulted = {
      metadata: { ...template.metadata, creationTimestamp: null },
      spec: {
        ...template.spec,
        initContainers: [],
        securityContext: {},
        containers: [{ ...template.spec.containers[0], resources: {}, env: [], command: undefined }],
      },
    };
    expect(podTemplateHash(defaulted)).toBe(podTemplateHash(template));
  });

  it('ignores key order', () => {
    const reordered = {
      spec: template.spec,
      metadata: { annotations: template.metadata.annotations, labels: template.metadata.labels },
    };
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(template));
  });

  it('changes with the image', () => {
    const changed = { ...template, spec: { containers: [{ ...template.spec.containers[0], image: 'podinfo:6.0.1' }] } };
    expect(podTemplateHash(changed)).not.toBe(podTemplateHash(template));
  });

  it('is stable for any key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(podTemplateHash({ spec: reversed })).toBe(podTemplateHash({ spec: record }));
      }),
    );
  });
});

describe('configChecksum (byte-compatible with Flagger)', () => {
  // Expected values computed with Go 1.26: hex(sha256(json.Marshal(data))[:8]).
  it.each([
    ['HTML and control characters', { color: 'blue', 'a<b': 'x&y>z', tab: 'a\tb\u2028\u0001\b' }, '872cc1b8ec240039'],
    ['Secret data as base64 strings', { password: 'czNjcjN0', user: 'YWRtaW4=' }, '0b66b4a1026df054'],
    ['a nil map', undefined, '74234e98afe7498f'],
    ['an empty map', {}, '44136fa355b3678a'],
    ['non-ASCII keys in byte order', { é: '1', z: '2', Z: '3', '€': '4' }, 'a5361ce87a4eeeb1'],
  ])('%s', (_name, data, expected) => {
    expect(configChecksum(data)).toBe(expected);
  });

  it('encodes like encoding/json', () => {
    expect(goJsonStringMap({ b: '<&>', a: 'x' })).toBe('{"a":"x","b":"\\u003c\\u0026\\u003e"}');
  });
});

describe('change detection', () => {
  it.each([
    ['never synced', {}, 'h1', true],
    ['same as last applied', { lastAppliedSpec: 'h1', lastPromotedSpec: 'h0' }, 'h1', false],
    ['new revision', { lastAppliedSpec: 'h1', lastPromotedSpec: 'h1' }, 'h2', true],
    ['reverted to the primary spec', { lastAppliedSpec: 'h2', lastPromotedSpec: 'h1' }, 'h1', false],
  ])('hasTargetChanged: %s', (_name, status, hash, expected) => {
    expect(hasTargetChanged(status, hash)).toBe(expected);
  });

  it.each([
    ['unchanged', { 'configmap/a': '1' }, { 'configmap/a': '1' }, false],
    ['checksum differs', { 'configmap/a': '1' }, { 'configmap/a': '2' }, true],
    ['one added', { 'configmap/a': '1' }, { 'configmap/a': '1', 'secret/b': '2' }, true],
    ['one removed', { 'configmap/a': '1', 'secret/b': '2' }, { 'configmap/a': '1' }, true],
    ['nothing tracked before or now', undefined, {}, false],
  ])('haveConfigsChanged: %s', (_name, tracked, current, expected) => {
    expect(haveConfigsChanged(tracked, current)).toBe(expected);
  });

  it('webhook checksum follows the revision and its configs', () => {
    const base = webhookChecksum({ lastAppliedSpec: 'h1', trackedConfigs: { 'configmap/a': '1' } });
    expect(webhookChecksum({ lastAppliedSpec: 'h1', trackedConfigs: { 'configmap/a': '1' } })).toBe(base);
    expect(webhookChecksum({ lastAppliedSpec: 'h2', trackedConfigs: { 'configmap/a': '1' } })).not.toBe(base);
    expect(webhookChecksum({ lastAppliedSpec: 'h1', trackedConfigs: { 'configmap/a': '2' } })).not.toBe(base);
  });
});
