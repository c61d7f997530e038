// Session-affinity cookies of a run (reference §5.3). Values come from Observation.freshCookieValues.
import type { CanaryStatus, DefaultedSessionAffinity } from '@linnet/api';
import type { SessionAffinityCookies } from './decision.ts';

type CookieFields = Pick<
  CanaryStatus,
  'sessionAffinityCookie' | 'primarySessionAffinityCookie' | 'previousSessionAffinityCookie'
>;

/**
 * The cookie fields after the canary weight moves from `fromWeight` to `toWeight`:
 * - while the canary has weight, its cookie is issued once per run;
 * - the primary cookie is issued anew on every weight change, so primary stickiness lasts one step (Flagger's
 *   docs promise this; its code never rotated it);
 * - when the weight drops to 0 the canary cookie becomes the previous one (expired by the router) and the primary
 *   cookie is cleared.
 */
export function nextSessionAffinityCookies(
  current: CookieFields,
  fromWeight: number,
  toWeight: number,
  affinity: DefaultedSessionAffinity | undefined,
  fresh: { readonly canary: string; readonly primary: string },
): CookieFields {
  if (!affinity) return pickCookies(current);
  if (toWeight <= 0) {
    if (!current.sessionAffinityCookie && !current.primarySessionAffinityCookie) return pickCookies(current);
    return {
      ...(current.sessionAffinityCookie
        ? { previousSessionAffinityCookie: current.sessionAffinityCookie }
        : pickPrevious(current)),
    };
  }
  const canaryCookie = current.sessionAffinityCookie ?? `${affinity.cookieName}=${fresh.canary}`;
  const rotatePrimary = toWeight !== fromWeight || !current.primarySessionAffinityCookie;
  const primaryCookie = affinity.primaryCookieName
    ? rotatePrimary
      ? `${affinity.primaryCookieName}=${fresh.primary}`
      : current.primarySessionAffinityCookie
    : undefined;
  return {
    sessionAffinityCookie: canaryCookie,
    ...(primaryCookie && { primarySessionAffinityCookie: primaryCookie }),
    ...pickPrevious(current),
  };
}

function pickPrevious(current: CookieFields): CookieFields {
  return current.previousSessionAffinityCookie
    ? { previousSessionAffinityCookie: current.previousSessionAffinityCookie }
    : {};
}

function pickCookies(current: CookieFields): CookieFields {
  return {
    ...(current.sessionAffinityCookie && { sessionAffinityCookie: current.sessionAffinityCookie }),
    ...(current.primarySessionAffinityCookie && {
      primarySessionAffinityCookie: current.primarySessionAffinityCookie,
    }),
    ...pickPrevious(current),
  };
}

/** The cookies a setRoutes action carries; undefined when session affinity is off. */
export function routeCookies(
  status: CookieFields,
  affinity: DefaultedSessionAffinity | undefined,
): SessionAffinityCookies | undefined {
  if (!affinity) return undefined;
  return {
    ...(status.sessionAffinityCookie && { canary: status.sessionAffinityCookie }),
    ...(status.primarySessionAffinityCookie && { primary: status.primarySessionAffinityCookie }),
    ...(status.previousSessionAffinityCookie && { previous: status.previousSessionAffinityCookie }),
  };
}
