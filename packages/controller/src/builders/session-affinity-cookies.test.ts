import { describe, expect, it } from '@jest/globals';
import { withAnalysisDefaults } from '@linnet/api';
import {
  cookieMatchRegex,
  expireCookieHeader,
  newSessionAffinityCookie,
  setCookieHeader,
} from './session-affinity-cookies.ts';

describe('session-affinity cookies (reference §5.3)', () => {
  it('generates <name>=<10 letters> from the injected randomness', () => {
    const sequence = [0, 0.5, 0.99, 0.25, 0.75, 0.1, 0.2, 0.3, 0.4, 0.6];
    let index = 0;
    const cookie = newSessionAffinityCookie('canary-flagger-cookie', () => sequence[index++] ?? 0);
    expect(cookie).toBe('canary-flagger-cookie=aAZnNfkpuF');
    expect(newSessionAffinityCookie('c', Math.random)).toMatch(/^c=[a-zA-Z]{10}$/);
  });

  it('formats Set-Cookie with the attributes in Flagger’s order', () => {
    const settings = withAnalysisDefaults({
      sessionAffinity: {
        cookieName: 'c',
        domain: 'example.com',
        httpOnly: true,
        partitioned: true,
        path: '/app',
        sameSite: 'Strict',
        secure: true,
      },
    }).sessionAffinity;
    if (settings === undefined) throw new Error('no settings');
    expect(setCookieHeader('c=abc', settings.maxAge, settings)).toBe(
      'c=abc; Max-Age=86400; Domain=example.com; HttpOnly; Partitioned; Path=/app; SameSite=Strict; Secure',
    );
    expect(expireCookieHeader('c=abc')).toBe('c=abc; Max-Age=-1');
  });

  it('matches requests that carry the cookie', () => {
    expect(cookieMatchRegex('canary-flagger-cookie=AbCdEfGhIj')).toBe('.*canary-flagger-cookie.*AbCdEfGhIj.*');
  });
});
