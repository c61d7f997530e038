// The real node's network: a network namespace of testenv's own, joined to the host by a veth pair. Everything the
// node and its pods reach on the host goes to loopback: a DNAT on the host side of the pair sends what arrives for
// the host's veth address to 127.0.0.1 (same port), where the apiserver, Prometheus and the cluster DNS listen.
// Nothing is routed off the machine: the namespace has no other interface and no default route, so a pod that
// connects to anything but the host's end, another pod or a ClusterIP fails at once (e.g. kwok's fake pod IPs).
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface NodeNetwork {
  /** Name under /run/netns. */
  netns: string;
  hostInterface: string;
  /** The host's end of the pair: the node and its pods reach the host's loopback services at this address. */
  hostIp: string;
  /** The node's address (kubelet --node-ip). */
  nodeIp: string;
}

const run = (command: string, args: readonly string[]): string =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `ip netns exec` would also remount /sys (hiding the cgroup mounts), so nsenter joins the network namespace only. */
const inNetns = (netns: string, command: string, args: readonly string[]): string =>
  run('nsenter', [`--net=/run/netns/${netns}`, '--', command, ...args]);

/** One /30 of 10.213.0.0/16 per cluster name; the next free one if another interface holds it. */
function pickSubnet(name: string): number {
  const used = run('ip', ['-4', '-o', 'addr', 'show']);
  const start = createHash('sha256').update(name).digest().readUInt16BE(0) % 16384;
  for (let i = 0; i < 16384; i++) {
    const block = (start + i) % 16384;
    const base = `10.213.${Math.floor((block * 4) / 256)}.${(block * 4) % 256}`;
    const prefix = base.slice(0, base.lastIndexOf('.') + 1);
    const last = (block * 4) % 256;
    if (!used.includes(` ${prefix}${last + 1}/`) && !used.includes(` ${prefix}${last + 2}/`)) return block;
  }
  throw new Error('real node: no free /30 left in 10.213.0.0/16');
}

export function nodeNetworkNames(name: string): { netns: string; hostInterface: string; nodeInterface: string } {
  const tag = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return { netns: `linnet-${name}`, hostInterface: `ln${tag}h`, nodeInterface: `ln${tag}n` };
}

/** The host DNAT rule, as iptables arguments after the chain. */
const dnatRule = (network: NodeNetwork): string[] => [
  '-i',
  network.hostInterface,
  '-d',
  network.hostIp,
  '-j',
  'DNAT',
  '--to-destination',
  '127.0.0.1',
  '-m',
  'comment',
  '--comment',
  `linnet testenv ${network.netns}`,
];

export function createNodeNetwork(name: string): NodeNetwork {
  const { netns, hostInterface, nodeInterface } = nodeNetworkNames(name);
  removeNodeNetwork({ netns, hostInterface, hostIp: '', nodeIp: '' });
  const block = pickSubnet(name);
  const address = (offset: number): string => {
    const n = block * 4 + offset;
    return `10.213.${Math.floor(n / 256)}.${n % 256}`;
  };
  const network: NodeNetwork = { netns, hostInterface, hostIp: address(1), nodeIp: address(2) };
  const step = (what: string, command: string, args: readonly string[]): void => {
    try {
      run(command, args);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`real node network: ${what} failed (${command} ${args.join(' ')}): ${stderr.trim()}`);
    }
  };
  step('creating the network namespace', 'ip', ['netns', 'add', netns]);
  step('creating the veth pair', 'ip', ['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', nodeInterface]);
  step('moving the node end', 'ip', ['link', 'set', nodeInterface, 'netns', netns]);
  step('addressing the host end', 'ip', ['addr', 'add', `${network.hostIp}/30`, 'dev', hostInterface]);
  step('raising the host end', 'ip', ['link', 'set', hostInterface, 'up']);
  const ns = ['nsenter', `--net=/run/netns/${netns}`, '--'];
  step('raising lo in the namespace', ns[0]!, [...ns.slice(1), 'ip', 'link', 'set', 'lo', 'up']);
  step('addressing the node end', ns[0]!, [
    ...ns.slice(1),
    'ip',
    'addr',
    'add',
    `${network.nodeIp}/30`,
    'dev',
    nodeInterface,
  ]);
  step('raising the node end', ns[0]!, [...ns.slice(1), 'ip', 'link', 'set', nodeInterface, 'up']);
  // The kernel drops packets for 127.0.0.0/8 that arrive on a non-loopback interface unless route_localnet is set.
  step('allowing loopback destinations from the pair', 'sysctl', [
    '-q',
    '-w',
    `net.ipv4.conf.${hostInterface}.route_localnet=1`,
  ]);
  step('adding the DNAT to loopback', 'iptables', ['-t', 'nat', '-A', 'PREROUTING', ...dnatRule(network)]);
  // Pods send to ClusterIPs through the node's routing; kube-proxy's rules live in this namespace only.
  step('enabling forwarding in the namespace', ns[0]!, [...ns.slice(1), 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  return network;
}

/** Deletes the namespace (and with it both ends of the pair) and the host DNAT rule; a missing piece is skipped. */
export function removeNodeNetwork(network: NodeNetwork): void {
  if (existsSync(`/run/netns/${network.netns}`)) spawnSync('ip', ['netns', 'del', network.netns]);
  spawnSync('ip', ['link', 'del', network.hostInterface], { stdio: 'ignore' });
  if (network.hostIp !== '') {
    while (
      spawnSync('iptables', ['-t', 'nat', '-D', 'PREROUTING', ...dnatRule(network)], { stdio: 'ignore' }).status === 0
    );
  }
}

export { inNetns };
