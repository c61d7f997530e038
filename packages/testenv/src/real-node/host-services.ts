// Services whose backend is a process on the host's loopback, for pods on the real node: a Service without a
// selector plus an EndpointSlice at the host's end of the veth pair (which forwards to 127.0.0.1, same port).
// kube-proxy in the node's namespace then sends the ClusterIP there.
import type { AdminClient, KubeObject } from '../admin-client.ts';

export interface HostService {
  namespace: string;
  name: string;
  /** Fixed ClusterIP (the DNS's), or undefined for any. */
  clusterIP?: string;
  ports: { name: string; port: number; hostPort: number; protocol: 'TCP' | 'UDP' }[];
}

const managedBy = 'linnet-testenv';

export async function exposeHostService(admin: AdminClient, hostIp: string, service: HostService): Promise<void> {
  const { namespace, name } = service;
  if (name !== 'kubernetes') {
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: {
        ...(service.clusterIP === undefined ? {} : { clusterIP: service.clusterIP }),
        ports: service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.hostPort, protocol: p.protocol })),
      },
    };
    await admin.serverSideApply(`/api/v1/namespaces/${namespace}/services/${name}`, object);
  }
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-host`,
      namespace,
      labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': managedBy },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [hostIp], conditions: { ready: true } }],
    // For `kubernetes` the apiserver names its port https.
    ports: service.ports.map((p) => ({ name: p.name, port: p.hostPort, protocol: p.protocol })),
  };
  await admin.serverSideApply(`/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices/${name}-host`, slice);
}

export async function ensureNamespace(admin: AdminClient, name: string): Promise<void> {
  await admin.serverSideApply(`/api/v1/namespaces/${name}`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
}
