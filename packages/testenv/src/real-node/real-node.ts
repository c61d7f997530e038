// `up --real-node`: a kubelet + containerd + runc node beside kwok's fake node, in a network namespace of testenv's
// own (node-network.ts), with kube-proxy for ClusterIPs and a small cluster DNS. docs/testenv.md, "A real node".
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import type { AdminClient, KubeObject } from '../admin-client.ts';
import { unpackDebianPackage } from '../build.ts';
import { writeKubeconfig } from '../kubeconfig.ts';
import type { Logger } from '../log.ts';
import { createClientCert, type Pki } from '../pki.ts';
import { spawnComponent, type SpawnedProcess } from '../processes.ts';
import { waitForComponentReady } from '../readiness.ts';
import { containerdDir, nodeBinaryPaths, type Versions } from '../versions.ts';
import { waitFor } from '../wait.ts';
import { containerdPaths, importImage, podSubnet, startContainerd, waitForContainerd } from './containerd.ts';
import { ensureNamespace, exposeHostService } from './host-services.ts';
import { clusterDnsIp, kubeletCgroupRoot, realNodeName, startKubelet, startKubeProxy } from './kubelet.ts';
import { createNodeNetwork, type NodeNetwork } from './node-network.ts';
import { ensurePauseImage, pauseImageRef } from './pause-image.ts';

export { realNodeName, realNodeTaint } from './kubelet.ts';
export { builtImageArchives, exposeToRealNode, loadRealNodeImages, realNodeImages } from './node-images.ts';

/** What the state file keeps about the real node, for `down` (processes are recorded like every other). */
export interface RealNodeRecord {
  network: NodeNetwork;
  cgroupRoot: string;
  containerdDir: string;
}

/** The pieces that come from outside the run dir: containerd's package and the pause image (both cached). */
export interface RealNodeArtifacts {
  containerdDir: string;
  pauseArchive: string;
  pauseImage: string;
  kubelet: string;
  kubeProxy: string;
}

export async function prepareRealNodeArtifacts(log: Logger, versions: Versions): Promise<RealNodeArtifacts> {
  const dir = await unpackDebianPackage(
    log,
    'containerd',
    versions.containerd.deb,
    containerdDir(versions),
    'usr/bin/containerd',
  );
  const node = nodeBinaryPaths(versions);
  return {
    containerdDir: dir,
    pauseArchive: ensurePauseImage(log, versions.pause.version),
    pauseImage: pauseImageRef(versions.pause.version),
    kubelet: node.kubelet,
    kubeProxy: node.kubeProxy,
  };
}

/** Creates the network namespace first: the apiserver is told the node's address range before it starts. */
export function createRealNodeRecord(clusterName: string, artifacts: RealNodeArtifacts): RealNodeRecord {
  return {
    network: createNodeNetwork(clusterName),
    cgroupRoot: kubeletCgroupRoot(clusterName),
    containerdDir: artifacts.containerdDir,
  };
}

/** The apiserver reaches the kubelet (logs, exec) at the node's address (not its name) with the admin identity. */
export const realNodeApiserverArgs = (pki: Pki): string[] => [
  '--kubelet-preferred-address-types=InternalIP',
  `--kubelet-client-certificate=${pki.adminCert}`,
  `--kubelet-client-key=${pki.adminKey}`,
];

export interface StartRealNodeOptions {
  clusterName: string;
  runDir: string;
  record: RealNodeRecord;
  artifacts: RealNodeArtifacts;
  pki: Pki;
  admin: AdminClient;
  apiserverPort: number;
  prometheusPort: number;
  dnsPort: number;
  recorded: (spawned: SpawnedProcess) => SpawnedProcess;
  log: Logger;
  elapsed: () => string;
}

function startClusterDns(runDir: string, server: string, pkiDir: string, port: number): SpawnedProcess {
  return spawnComponent({
    component: 'cluster-dns',
    executable: process.execPath,
    args: [
      join(import.meta.dirname, 'cluster-dns-main.ts'),
      '--server',
      server,
      '--pki',
      pkiDir,
      '--port',
      String(port),
    ],
    logFile: join(runDir, 'logs', 'cluster-dns.log'),
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

function queryDns(port: number, name: string): Promise<string[] | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer within 1 s'));
    }, 1_000);
    const labels = name.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
    const query = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
      ...labels,
      Buffer.from([0, 0, 1, 0, 1]),
    ]);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      const rcode = message[3]! & 0x0f;
      const count = message.readUInt16BE(6);
      resolve(rcode === 0 && count > 0 ? [[...message.subarray(-4)].join('.')] : undefined);
    });
    socket.send(query, port, '127.0.0.1');
  });
}

/**
 * Starts containerd (and loads the pause image), the cluster DNS, the kubelet and kube-proxy; publishes the
 * apiserver, the DNS and Prometheus to pods as Services (`kubernetes`, `kube-dns.kube-system`,
 * `prometheus.istio-system:9090`); waits until the node is Ready. Every process is recorded through `recorded`.
 */
export async function startRealNode(options: StartRealNodeOptions): Promise<void> {
  const { runDir, record, artifacts, pki, admin, log } = options;
  const { network } = record;
  const containerd = options.recorded(
    startContainerd({
      packageDir: artifacts.containerdDir,
      runDir,
      netns: network.netns,
      sandboxImage: artifacts.pauseImage,
    }),
  );
  const dns = options.recorded(startClusterDns(runDir, admin.server, pki.dir, options.dnsPort));
  const [kubeletCert, proxyCert] = await Promise.all([
    createClientCert(pki, 'kubelet', `/O=system:nodes/CN=system:node:${realNodeName}`),
    createClientCert(pki, 'kube-proxy', '/CN=system:kube-proxy'),
  ]);
  // The node reaches the apiserver at the host's end of the pair; the serving cert is verified as `kubernetes`.
  const server = `https://${network.hostIp}:${options.apiserverPort}`;
  const kubeletKubeconfig = join(runDir, 'kubelet.kubeconfig');
  const proxyKubeconfig = join(runDir, 'kube-proxy.kubeconfig');
  writeKubeconfig(kubeletKubeconfig, server, pki.caCert, kubeletCert, 'kubernetes');
  writeKubeconfig(proxyKubeconfig, server, pki.caCert, proxyCert, 'kubernetes');

  await waitForContainerd(containerd, artifacts.containerdDir, runDir);
  await importImage(artifacts.containerdDir, runDir, artifacts.pauseArchive);
  log(`containerd ready, pause image loaded (${options.elapsed()})`);

  await Promise.all([
    ensureNamespace(admin, 'istio-system'),
    exposeHostService(admin, network.hostIp, {
      namespace: 'default',
      name: 'kubernetes',
      ports: [{ name: 'https', port: 443, hostPort: options.apiserverPort, protocol: 'TCP' }],
    }),
  ]);
  await Promise.all([
    exposeHostService(admin, network.hostIp, {
      namespace: 'kube-system',
      name: 'kube-dns',
      clusterIP: clusterDnsIp,
      ports: [
        { name: 'dns', port: 53, hostPort: options.dnsPort, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, hostPort: options.dnsPort, protocol: 'TCP' },
      ],
    }),
    exposeHostService(admin, network.hostIp, {
      namespace: 'istio-system',
      name: 'prometheus',
      ports: [{ name: 'http', port: 9090, hostPort: options.prometheusPort, protocol: 'TCP' }],
    }),
  ]);

  const kubelet = options.recorded(
    startKubelet({
      executable: artifacts.kubelet,
      runDir,
      clusterName: options.clusterName,
      netns: network.netns,
      nodeIp: network.nodeIp,
      kubeconfig: kubeletKubeconfig,
      caCert: pki.caCert,
      containerdSocket: containerdPaths(runDir).socket,
    }),
  );
  const kubeProxy = options.recorded(
    startKubeProxy({
      executable: artifacts.kubeProxy,
      runDir,
      netns: network.netns,
      kubeconfig: proxyKubeconfig,
      podSubnet,
    }),
  );
  await Promise.all([
    waitForComponentReady(
      dns,
      async () => {
        try {
          const found = await queryDns(options.dnsPort, 'kubernetes.default.svc.cluster.local');
          return found ? { ok: true, status: 0, body: found.join(',') } : { ok: false, detail: 'NXDOMAIN' };
        } catch (error) {
          return { ok: false, detail: error instanceof Error ? error.message : String(error) };
        }
      },
      30_000,
      200,
    ),
    waitFor(
      `kubelet: node ${realNodeName} Ready`,
      async () => {
        for (const p of [kubelet, kubeProxy]) {
          if (p.exitReason() !== undefined) throw new Error(`${p.record.component} ${p.exitReason()}`);
        }
        const node = (await admin.find(`/api/v1/nodes/${realNodeName}`)) as KubeObject | undefined;
        const conditions = (node?.status as { conditions?: { type: string; status: string }[] } | undefined)
          ?.conditions;
        return conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    ),
  ]);
  log(`real node ${realNodeName} Ready at ${network.nodeIp} (${options.elapsed()})`);
}
