import { describe, expect, it } from '@jest/globals';
import { nextSessionAffinityCookies } from './session-affinity.ts';

const affinity = { cookieName: 'canary-cookie', primaryCookieName: 'primary-cookie', maxAge: 86_400 };
const fresh = (n: number) => ({ canary: `c${n}`, primary: `p${n}` });

describe('session-affinity cookies', () => {
  it('issues the canary cookie once per run and a new primary cookie at every step', () => {
    const step1 = nextSessionAffinityCookies({}, 0, 10, affinity, fresh(1));
    expect(step1).toEqual({
      sessionAffinityCookie: 'canary-cookie=c1',
      primarySessionAffinityCookie: 'primary-cookie=p1',
    });
    const step2 = nextSessionAffinityCookies(step1, 10, 20, affinity, fresh(2));
    expect(step2).toEqual({
      sessionAffinityCookie: 'canary-cookie=c1',
      primarySessionAffinityCookie: 'primary-cookie=p2',
    });
    const same = nextSessionAffinityCookies(step2, 20, 20, affinity, fresh(3));
    expect(same).toEqual(step2);
  });

  it('retires the canary cookie when the weight drops to 0', () => {
    const during = { sessionAffinityCookie: 'canary-cookie=c1', primarySessionAffinityCookie: 'primary-cookie=p2' };
    expect(nextSessionAffinityCookies(during, 50, 0, affinity, fresh(4))).toEqual({
      previousSessionAffinityCookie: 'canary-cookie=c1',
    });
  });

  it('does nothing without session affinity', () => {
    expect(nextSessionAffinityCookies({}, 0, 10, undefined, fresh(1))).toEqual({});
  });

  it('has no primary cookie without primaryCookieName', () => {
    expect(nextSessionAffinityCookies({}, 0, 10, { cookieName: 'c', maxAge: 1 }, fresh(1))).toEqual({
      sessionAffinityCookie: 'c=c1',
    });
  });
});
