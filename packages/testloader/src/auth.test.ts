import { describe, expect, it } from '@jest/globals';
import { checkBearerToken, compileNamespacePattern, isNamespaceAllowed } from './auth.ts';

describe('checkBearerToken', () => {
  it('accepts the right token, in any case of the scheme', () => {
    expect(checkBearerToken('Bearer s3cret', 's3cret')).toBe('allowed');
    expect(checkBearerToken('bearer  s3cret ', 's3cret')).toBe('allowed');
  });

  it('tells a missing token from a wrong one', () => {
    expect(checkBearerToken(undefined, 's3cret')).toBe('missing');
    expect(checkBearerToken('Basic dXNlcjpwYXNz', 's3cret')).toBe('missing');
    expect(checkBearerToken('Bearer', 's3cret')).toBe('missing');
    expect(checkBearerToken('Bearer s3cre', 's3cret')).toBe('wrong');
    expect(checkBearerToken('Bearer s3cret2', 's3cret')).toBe('wrong');
  });
});

describe('namespace filter', () => {
  it('matches anywhere unless anchored, like Go’s regexp.MatchString', () => {
    expect(isNamespaceAllowed(compileNamespacePattern('test'), 'my-test-ns')).toBe(true);
    expect(isNamespaceAllowed(compileNamespacePattern('^test$'), 'my-test-ns')).toBe(false);
    expect(isNamespaceAllowed(compileNamespacePattern('^(test|staging)$'), 'staging')).toBe(true);
  });

  it('allows everything without a pattern', () => {
    expect(isNamespaceAllowed(undefined, 'anything')).toBe(true);
  });

  it('rejects invalid patterns when compiling', () => {
    expect(() => compileNamespacePattern('(')).toThrow();
  });
});
