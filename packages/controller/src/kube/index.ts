// The Kubernetes access layer: Linnet's own interface (KubeAccess) and its implementation over client-node.
import { ClientNodeTransport, loadKubeConfig } from './client-node-transport.ts';
import type { KubeAccess } from './kube-access.ts';
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
export * from './repeat-filter.ts';
export * from './micro-time.ts';
export { ClientNodeTransport, loadKubeConfig } from './client-node-transport.ts';
export { RestKubeAccess } from './rest-kube-access.ts';
export type { RestKubeAccessOptions } from './rest-kube-access.ts';

export interface CreateKubeAccessOptions extends RestKubeAccessOptions {
  /** Path to a kubeconfig; default $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
}

/** The production KubeAccess: client-node credentials and transport, Linnet's REST handling. */
export function createKubeAccess(options: CreateKubeAccessOptions = {}): KubeAccess {
  return new RestKubeAccess(new ClientNodeTransport(loadKubeConfig(options.kubeconfig)), options);
}
