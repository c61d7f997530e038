import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('hides user info, query and fragment', () => {
    expect(redactUrl('https://user:s3cret@hooks.example.com/x?token=abc#f')).toBe(
      'https://hooks.example.com/x (credentials, query and fragment hidden)',
    );
    expect(redactUrl('http://a.b:8080')).toBe('http://a.b:8080');
    expect(redactUrl('not a url')).toBe('(not a URL)');
  });
});
