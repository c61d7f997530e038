// The Kubernetes access layer: Linnet's own interface (KubeAccess) and its implementation over HTTPS (client-node
// only for credentials it alone understands).
import { HttpsTransport } from './https-transport.ts';
import { KubeError } from './kube-errors.ts';
import type { KubeAccess } from './kube-access.ts';
import { resolveCredentials } from './kubeconfig.ts';
import type { KubeHttpRequest, KubeHttpResponse, KubeTransport } from './kube-transport.ts';
import { RestKubeAccess } from './rest-kube-access.ts';
import type { RestKubeAccessOptions } from './rest-kube-access.ts';

export * from './kube-access.ts';
export * from './kube-errors.ts';
export * from './kube-object.ts';
export * from './kube-transport.ts';
export * from './resource-type.ts';
export * from './resource-path.ts';
export * from './owner-reference.ts';
export * from './event-recorder.ts';
export * from './background-event-recorder.ts';
export * from './repeat-filter.ts';
export * from './micro-time.ts';
export { HttpsTransport } from './https-transport.ts';
export { resolveCredentials, type CredentialSource, type KubeEndpoint } from './kubeconfig.ts';
export { RestKubeAccess } from './rest-kube-access.ts';
export type { RestKubeAccessOptions } from './rest-kube-access.ts';

export interface CreateKubeAccessOptions extends RestKubeAccessOptions {
  /** Path to a kubeconfig; default $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
}

/** The production KubeAccess; credentials are read on the first request (a bad kubeconfig fails that request). */
export function createKubeAccess(options: CreateKubeAccessOptions = {}): KubeAccess {
  return new RestKubeAccess(new DeferredTransport(options.kubeconfig), options);
}

class DeferredTransport implements KubeTransport {
  private readonly kubeconfig: string | undefined;
  private transport: Promise<KubeTransport> | undefined;

  constructor(kubeconfig: string | undefined) {
    this.kubeconfig = kubeconfig;
  }

  async send(request: KubeHttpRequest): Promise<KubeHttpResponse> {
    this.transport ??= openTransport(this.kubeconfig);
    return (await this.transport).send(request);
  }
}

async function openTransport(kubeconfig: string | undefined): Promise<KubeTransport> {
  const source = await resolveCredentials(kubeconfig);
  if (source.kind === 'endpoint') return new HttpsTransport(source.endpoint);
  // client-node sends through fetch, whose HTTP parser is WebAssembly: gone under --jitless (deploy/ sets it).
  if (!('WebAssembly' in globalThis)) {
    throw new KubeError(
      'InvalidKubeconfig',
      `kubeconfig ${source.kubeconfigPath ?? '$KUBECONFIG'}: ${source.why} needs client-node, which needs WebAssembly; ` +
        'remove --jitless from NODE_OPTIONS',
    );
  }
  const { ClientNodeTransport, loadKubeConfig } = await import('./client-node-transport.ts');
  return new ClientNodeTransport(loadKubeConfig(source.kubeconfigPath));
}
