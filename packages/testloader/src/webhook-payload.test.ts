import { describe, expect, it } from '@jest/globals';
import { parseWebhookPayload } from './webhook-payload.ts';

describe('parseWebhookPayload', () => {
  it('reads Flagger’s CanaryWebhookPayload', () => {
    const body = JSON.stringify({
      name: 'podinfo',
      namespace: 'test',
      phase: 'Progressing',
      checksum: 'abc',
      metadata: { type: 'cmd', cmd: 'hey http://x/' },
    });
    expect(parseWebhookPayload(body)).toEqual({
      ok: true,
      value: {
        name: 'podinfo',
        namespace: 'test',
        phase: 'Progressing',
        checksum: 'abc',
        metadata: { type: 'cmd', cmd: 'hey http://x/' },
      },
    });
  });

  it('treats missing fields as empty, as Go’s decoder does, and metadata as absent', () => {
    expect(parseWebhookPayload('{}')).toEqual({
      ok: true,
      value: { name: '', namespace: '', phase: '', checksum: '', metadata: undefined },
    });
    expect(parseWebhookPayload('{"metadata":null}')).toMatchObject({ ok: true, value: { metadata: undefined } });
  });

  it('turns non-string metadata values into text', () => {
    expect(parseWebhookPayload('{"metadata":{"rate":100,"keep":true,"none":null,"headers":{"A":"b"}}}')).toMatchObject({
      ok: true,
      value: { metadata: { rate: '100', keep: 'true', none: '', headers: '{"A":"b"}' } },
    });
  });

  it.each([
    ['not json', /^the payload is not valid JSON: /],
    ['', /^the payload is not valid JSON: /],
    ['[]', /^the payload must be a JSON object$/],
    ['null', /^the payload must be a JSON object$/],
    ['"text"', /^the payload must be a JSON object$/],
    ['{"name":5}', /^the payload field name must be a string$/],
    ['{"metadata":[]}', /^the payload field metadata must be an object of strings$/],
    ['{"metadata":"cmd"}', /^the payload field metadata must be an object of strings$/],
  ])('refuses %j', (body, error) => {
    const result = parseWebhookPayload(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});
