import type { DefaultedSessionAffinity } from '@linnet/api';

/**
 * The `Set-Cookie` value for a session-affinity cookie ("<name>=<value>"), with Flagger's attribute order:
 * Max-Age, Domain, HttpOnly, Partitioned, Path, SameSite, Secure.
 */
export function setCookieHeader(cookie: string, maxAgeSeconds: number, settings: DefaultedSessionAffinity): string {
  const attributes = [`${cookie}`, `Max-Age=${maxAgeSeconds}`];
  if (settings.domain) attributes.push(`Domain=${settings.domain}`);
  if (settings.httpOnly === true) attributes.push('HttpOnly');
  if (settings.partitioned === true) attributes.push('Partitioned');
  if (settings.path) attributes.push(`Path=${settings.path}`);
  if (settings.sameSite) attributes.push(`SameSite=${settings.sameSite}`);
  if (settings.secure === true) attributes.push('Secure');
  return attributes.join('; ');
}

/** An expired copy of a cookie, so browsers drop it (`Max-Age=-1`). */
export function expireCookieHeader(cookie: string): string {
  return `${cookie}; Max-Age=-1`;
}

/** Istio header regex matching a request that carries the cookie "<name>=<value>" (Flagger's pattern). */
export function cookieMatchRegex(cookie: string): string {
  const separator = cookie.indexOf('=');
  const name = separator === -1 ? cookie : cookie.slice(0, separator);
  const value = separator === -1 ? '' : cookie.slice(separator + 1);
  return `.*${name}.*${value}.*`;
}

const COOKIE_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A new session-affinity cookie "<name>=<10 random letters>", as Flagger generates once per run for
 * `status.sessionAffinityCookie` / `primarySessionAffinityCookie`. `random` returns [0, 1) and is injected.
 */
export function newSessionAffinityCookie(cookieName: string, random: () => number): string {
  let value = '';
  for (let i = 0; i < 10; i += 1) {
    value += COOKIE_LETTERS.charAt(Math.floor(random() * COOKIE_LETTERS.length) % COOKIE_LETTERS.length);
  }
  return `${cookieName}=${value}`;
}
