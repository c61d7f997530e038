/**
 * Which load-test URLs name a Service of the cluster. Inside a mesh, `http://backend-canary.webapp:9898/` reaches the
 * pods behind Service `backend-canary` in namespace `webapp` through cluster DNS; with `--mesh-simulator-url` the test
 * loader turns a load on such a URL into a mesh simulator load job instead of real HTTP (mesh-simulator-load.ts).
 *
 * Accepted host spellings, as cluster DNS resolves them from a pod:
 *   <service>.<namespace>
 *   <service>.<namespace>.svc
 *   <service>.<namespace>.svc.<cluster domain>   (cluster.local, or any other domain)
 * with an optional trailing dot. A bare `<service>` is not accepted: it would resolve in the load tester's own
 * namespace, which the test loader cannot know. IP addresses, `localhost` and other shapes are not Services.
 */
export interface MeshServiceTarget {
  readonly namespace: string;
  readonly service: string;
}

/** A Kubernetes DNS-1123 label (Service and namespace names). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function meshServiceTarget(url: string): MeshServiceTarget | undefined {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    return undefined;
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') return undefined;
  const host = parsedUrl.hostname.toLowerCase().replace(/\.$/, '');
  if (host === '' || host.startsWith('[') || IPV4.test(host)) return undefined;
  const labels = host.split('.');
  const [service, namespace, svc, ...domain] = labels;
  if (service === undefined || namespace === undefined) return undefined;
  if (!DNS_LABEL.test(service) || !DNS_LABEL.test(namespace) || namespace === 'svc') return undefined;
  if (svc === undefined) return { namespace, service };
  if (svc !== 'svc') return undefined;
  if (domain.some((label) => !DNS_LABEL.test(label))) return undefined;
  return { namespace, service };
}
