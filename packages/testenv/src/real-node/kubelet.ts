// The real node's kubelet and kube-proxy, both in the node's network namespace. The kubelet puts its pods' cgroups
// under /linnet-<cluster> (so clusters never share one), its state and the pods' logs under the run dir, and registers
// the node with a taint: only pods meant for it (testenv's namespaces' default tolerations) land there, everything
// else stays on kwok's fake node.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { spawnComponent, type SpawnedProcess } from '../processes.ts';

export const realNodeName = 'linnet-node-0';
export const realNodeTaint = { key: 'linnet.dev/real-node', value: 'true', effect: 'NoSchedule' } as const;
export const clusterDnsIp = '10.0.0.10';

export function kubeletCgroupRoot(clusterName: string): string {
  return `/linnet-${clusterName}`;
}

const cgroupMount = '/sys/fs/cgroup';

/**
 * The mounted cgroup hierarchies: the mount itself on a unified (v2) system, else one directory per v1 hierarchy
 * (this kind of machine: cpu, memory, pids, … plus an empty unified one).
 */
export function cgroupHierarchies(): string[] {
  if (existsSync(join(cgroupMount, 'cgroup.controllers'))) return [cgroupMount];
  return readdirSync(cgroupMount)
    .map((name) => join(cgroupMount, name))
    .filter((dir) => existsSync(join(dir, 'cgroup.procs')));
}

/**
 * The kubelet wants its cgroup root to exist in every mounted hierarchy; a new v1 cpuset cgroup starts without
 * CPUs or memory nodes, so it gets its parent's.
 */
export function createCgroupRoot(root: string): void {
  for (const parent of cgroupHierarchies()) {
    const dir = join(parent, root);
    mkdirSync(dir, { recursive: true });
    if (parent.endsWith('/cpuset')) {
      for (const file of ['cpuset.cpus', 'cpuset.mems']) copyFileSync(join(parent, file), join(dir, file));
    }
  }
}

export interface KubeletOptions {
  executable: string;
  runDir: string;
  clusterName: string;
  netns: string;
  nodeIp: string;
  kubeconfig: string;
  caCert: string;
  containerdSocket: string;
  /** A free port inside the namespace is any port: the namespace is the node's own. */
  port?: number;
}

export function startKubelet(options: KubeletOptions): SpawnedProcess {
  const dir = join(options.runDir, 'kubelet');
  mkdirSync(join(dir, 'pod-logs'), { recursive: true });
  createCgroupRoot(kubeletCgroupRoot(options.clusterName));
  const resolvConf = join(dir, 'resolv.conf');
  // The pods' resolver is the cluster DNS only; the host's upstream servers are not reachable from the namespace.
  writeFileSync(resolvConf, '');
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This kind of machine mounts cgroup v1 controllers (plus an empty unified hierarchy).
    failCgroupV1: false,
    failSwapOn: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: kubeletCgroupRoot(options.clusterName),
    cgroupsPerQOS: true,
    containerRuntimeEndpoint: `unix://${options.containerdSocket}`,
    podLogsDir: join(dir, 'pod-logs'),
    address: options.nodeIp,
    port: options.port ?? 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: options.caCert },
    },
    authorization: { mode: 'Webhook' },
    clusterDNS: [clusterDnsIp],
    clusterDomain: 'cluster.local',
    resolvConf,
    registerWithTaints: [realNodeTaint],
    // The machine's disks and memory belong to others too: no evictions, no image garbage collection.
    evictionHard: { 'memory.available': '1Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    // Status within a second or two (the e2e waits on Ready conditions).
    nodeStatusUpdateFrequency: '4s',
    syncFrequency: '5s',
    fileCheckFrequency: '5s',
    protectKernelDefaults: false,
    makeIPTablesUtilChains: false,
    localStorageCapacityIsolation: false,
  };
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(config));
  return spawnComponent({
    component: 'kubelet',
    executable: options.executable,
    args: [
      `--config=${configFile}`,
      `--kubeconfig=${options.kubeconfig}`,
      `--root-dir=${join(dir, 'root')}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--hostname-override=${realNodeName}`,
      `--node-ip=${options.nodeIp}`,
      '--v=1',
    ],
    logFile: join(options.runDir, 'logs', 'kubelet.log'),
    netns: options.netns,
  });
}

export interface KubeProxyOptions {
  executable: string;
  runDir: string;
  netns: string;
  kubeconfig: string;
  podSubnet: string;
}

/** kube-proxy in iptables mode: ClusterIPs (the apiserver's, the DNS's, the pods' Services) inside the namespace. */
export function startKubeProxy(options: KubeProxyOptions): SpawnedProcess {
  const configFile = join(options.runDir, 'kube-proxy.yaml');
  writeFileSync(
    configFile,
    stringify({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      clientConnection: { kubeconfig: options.kubeconfig },
      hostnameOverride: realNodeName,
      mode: 'iptables',
      clusterCIDR: options.podSubnet,
      // Replies from a Service's pod go back through the node even on the same bridge (no br_netfilter needed).
      iptables: { masqueradeAll: true, localhostNodePorts: false },
      // Leave the machine's conntrack sysctls alone.
      conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
      healthzBindAddress: '',
      metricsBindAddress: '127.0.0.1:10249',
    }),
  );
  return spawnComponent({
    component: 'kube-proxy',
    executable: options.executable,
    args: [`--config=${configFile}`, '--v=1'],
    logFile: join(options.runDir, 'logs', 'kube-proxy.log'),
    netns: options.netns,
  });
}
