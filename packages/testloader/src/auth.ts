import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer-token check for every request (when a token is configured) and Flagger's `-namespace-regexp` filter on the
 * payload's namespace.
 */
/** Environment variable holding the bearer token (preferred over --token, which shows up in `ps`). */
export const TOKEN_ENV_VARIABLE = 'LINNET_TESTLOADER_TOKEN';

export type BearerCheck = 'allowed' | 'missing' | 'wrong';

export function checkBearerToken(authorizationHeader: string | undefined, expectedToken: string): BearerCheck {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader ?? '');
  if (!match) return 'missing';
  // Compare digests so that neither the length nor the content of the token leaks through timing.
  const given = createHash('sha256')
    .update(match[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(expectedToken).digest();
  return timingSafeEqual(given, expected) ? 'allowed' : 'wrong';
}

/** Compiles `--namespace-regexp`; like Go's regexp.MatchString it matches anywhere unless anchored. */
export function compileNamespacePattern(pattern: string): RegExp {
  return new RegExp(pattern, 'u');
}

export function isNamespaceAllowed(pattern: RegExp | undefined, namespace: string): boolean {
  return pattern === undefined || pattern.test(namespace);
}
