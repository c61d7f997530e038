/**
 * Reads the HTTP routing table of an Istio VirtualService (networking.istio.io v1/v1beta1 `spec.http`) into the
 * share of requests each destination host receives. Only what decides traffic volume matters here: route order,
 * match conditions, destination weights and mirrors. TCP/TLS routes carry no HTTP metrics and are ignored.
 */

export interface RouteDestination {
  readonly host: string;
  /** Fraction of this route's requests sent to the host (weights normalised to 1). */
  readonly share: number;
}

export interface MirrorTarget {
  readonly host: string;
  /** Fraction of this route's requests copied to the host (mirrorPercentage / 100). */
  readonly fraction: number;
}

export interface HttpRouteRule {
  readonly name: string | undefined;
  /**
   * True when every match condition selects on something simulated traffic does not carry by default: headers,
   * query parameters or the source (Flagger's A/B `analysis.match`, session-affinity cookies). Such a route takes only
   * the configured match fraction of the requests reaching it. Conditions on uri/method/authority/scheme/port/
   * gateways are taken to match all simulated traffic, so Flagger's catch-all route with `service.match` still
   * receives the rest.
   */
  readonly selective: boolean;
  readonly destinations: readonly RouteDestination[];
  readonly mirrors: readonly MirrorTarget[];
}

export interface ParsedRoutes {
  readonly routes: readonly HttpRouteRule[];
  readonly problems: readonly string[];
}

export interface HostShare {
  readonly host: string;
  /** Expected fraction of the VirtualService's requests that reach this host. */
  readonly share: number;
  /** A mirrored copy (the original is also counted at its routed destination). */
  readonly mirrored: boolean;
}

const SELECTIVE_MATCH_KEYS = ['headers', 'withoutHeaders', 'queryParams', 'sourceLabels', 'sourceNamespace'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function hostOf(destination: unknown): string | undefined {
  if (!isRecord(destination) || typeof destination['host'] !== 'string' || destination['host'] === '') return undefined;
  return destination['host'];
}

function percentOf(percentage: unknown, fallback: number): number {
  if (isRecord(percentage) && typeof percentage['value'] === 'number') return percentage['value'];
  return fallback;
}

function isSelective(match: readonly unknown[]): boolean {
  // No conditions (or an empty condition) matches every request.
  if (match.length === 0) return false;
  return match.every((condition) => isRecord(condition) && SELECTIVE_MATCH_KEYS.some((key) => key in condition));
}

function parseDestinations(route: readonly unknown[], label: string, problems: string[]): RouteDestination[] {
  const weighted: { host: string; weight: number }[] = [];
  for (const entry of route) {
    const host = isRecord(entry) ? hostOf(entry['destination']) : undefined;
    if (host === undefined || !isRecord(entry)) {
      problems.push(`${label}: destination without host ignored`);
      continue;
    }
    const weight = entry['weight'] ?? 0;
    if (typeof weight !== 'number' || !(weight >= 0)) {
      problems.push(`${label}: weight ${JSON.stringify(weight)} of ${host} treated as 0`);
    }
    weighted.push({ host, weight: typeof weight === 'number' && weight > 0 ? weight : 0 });
  }
  // Istio sends everything to a lone destination whatever its weight (Flagger's A/B fallback route has weight 0).
  const [only] = weighted;
  if (weighted.length === 1 && only) return [{ host: only.host, share: 1 }];
  const total = weighted.reduce((sum, d) => sum + d.weight, 0);
  if (total === 0) {
    if (weighted.length > 0) problems.push(`${label}: all destination weights are 0, no traffic simulated`);
    return [];
  }
  if (total !== 100) problems.push(`${label}: weights sum to ${total}, normalised`);
  return weighted.filter((d) => d.weight > 0).map((d) => ({ host: d.host, share: d.weight / total }));
}

function parseMirrors(rule: Record<string, unknown>): MirrorTarget[] {
  const mirrors: MirrorTarget[] = [];
  const single = hostOf(rule['mirror']);
  if (single !== undefined) {
    // mirrorPercentage (double) wins over the deprecated integer mirrorPercent; Istio mirrors 100% by default.
    const legacy = typeof rule['mirrorPercent'] === 'number' ? rule['mirrorPercent'] : 100;
    mirrors.push({ host: single, fraction: clampFraction(percentOf(rule['mirrorPercentage'], legacy) / 100) });
  }
  for (const entry of asArray(rule['mirrors'])) {
    const host = isRecord(entry) ? hostOf(entry['destination']) : undefined;
    if (host === undefined || !isRecord(entry)) continue;
    mirrors.push({ host, fraction: clampFraction(percentOf(entry['percentage'], 100) / 100) });
  }
  return mirrors;
}

function clampFraction(value: number): number {
  return Math.min(1, Math.max(0, value));
}

export function parseHttpRoutes(spec: unknown): ParsedRoutes {
  const problems: string[] = [];
  const routes: HttpRouteRule[] = [];
  const http = isRecord(spec) ? asArray(spec['http']) : [];
  http.forEach((rule, index) => {
    if (!isRecord(rule)) return;
    const name = typeof rule['name'] === 'string' ? rule['name'] : undefined;
    const label = `http[${index}]${name ? ` (${name})` : ''}`;
    if (rule['delegate'] !== undefined) problems.push(`${label}: delegate is not simulated; its requests are dropped`);
    routes.push({
      name,
      selective: isSelective(asArray(rule['match'])),
      // redirect/directResponse routes have no `route`: the proxy answers itself, no destination workload reports.
      destinations: parseDestinations(asArray(rule['route']), label, problems),
      mirrors: parseMirrors(rule),
    });
  });
  return { routes, problems };
}

/**
 * Istio evaluates HTTP routes in order and the first match wins. A non-selective route takes every request that
 * reaches it; a selective one takes `matchFraction` of them and lets the rest fall through. Requests that fall off the
 * end get a 404 from the proxy itself and reach no workload.
 */
export function hostTrafficShares(routes: readonly HttpRouteRule[], matchFraction: number): HostShare[] {
  const shares = new Map<string, { host: string; share: number; mirrored: boolean }>();
  const add = (host: string, share: number, mirrored: boolean): void => {
    if (share <= 0) return;
    const key = `${mirrored ? 'mirror' : 'route'}|${host}`;
    const existing = shares.get(key);
    if (existing) existing.share += share;
    else shares.set(key, { host, share, mirrored });
  };
  let remaining = 1;
  for (const route of routes) {
    if (remaining <= 0) break;
    const taken = route.selective ? remaining * clampFraction(matchFraction) : remaining;
    remaining -= taken;
    for (const destination of route.destinations) add(destination.host, taken * destination.share, false);
    for (const mirror of route.mirrors) add(mirror.host, taken * mirror.fraction, true);
  }
  return [...shares.values()];
}
