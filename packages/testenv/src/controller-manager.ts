import { startKubeComponent, type KubeComponentOptions } from './kube-component.ts';
import type { Pki } from './pki.ts';
import type { SpawnedProcess } from './processes.ts';

/**
 * The controllers that make Deployments and Services behave (recipe section 4.2): the Deployment → ReplicaSet → Pod
 * chain, ownerReference cascades, namespace deletion (without it a namespace stays Terminating forever), default
 * ServiceAccounts, and EndpointSlices behind Services. Not the legacy Endpoints controller: nothing here reads v1
 * Endpoints (kube-proxy on the real node reads EndpointSlices), and at 1,000 Canaries its writes were a tenth of the
 * API server's requests.
 */
const controllers = [
  'deployment-controller',
  'replicaset-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'pod-garbage-collector-controller',
  'endpointslice-controller',
] as const;

export interface ControllerManagerOptions extends KubeComponentOptions {
  pki: Pki;
  /** The real node's pods mount the `kube-root-ca.crt` ConfigMap (projected ServiceAccount tokens). */
  publishRootCa?: boolean;
}

export function startControllerManager(options: ControllerManagerOptions): SpawnedProcess {
  return startKubeComponent('kube-controller-manager', 'kcm-certs', options, [
    `--controllers=${[...controllers, ...(options.publishRootCa === true ? ['root-ca-certificate-publisher-controller'] : [])].join(',')}`,
    `--service-account-private-key-file=${options.pki.serviceAccountKey}`,
    `--root-ca-file=${options.pki.caCert}`,
    // Controllers use the admin kubeconfig instead of per-controller SA tokens: faster start, no bootstrap RBAC wait.
    '--use-service-account-credentials=false',
    '--kube-api-qps=100',
    '--kube-api-burst=200',
  ]);
}
