// What `down` removes besides the recorded processes when the cluster had a real node: the pods' processes (in the
// kubelet's cgroup tree) and containerd's shims, every mount under the run dir (overlay snapshots, pod volumes, the
// pods' network namespaces), the node's network namespace and DNAT rule, and the cgroup directories.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCmdline } from '../processes.ts';
import { waitFor } from '../wait.ts';
import { cgroupHierarchies } from './kubelet.ts';
import { removeNodeNetwork } from './node-network.ts';
import type { RealNodeRecord } from './real-node.ts';

function pidsUnder(dir: string): number[] {
  const pids: number[] = [];
  const walk = (d: string): void => {
    try {
      for (const line of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (line) pids.push(Number(line));
      for (const entry of readdirSync(d, { withFileTypes: true })) if (entry.isDirectory()) walk(join(d, entry.name));
    } catch {
      // Gone meanwhile.
    }
  };
  walk(dir);
  return pids;
}

/** Depth-first rmdir: a cgroup directory can be removed once it has no processes and no children. */
function removeCgroupTree(dir: string): void {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeCgroupTree(join(dir, entry.name));
    }
    rmdirSync(dir);
  } catch {
    // Busy or gone; the next `up` of this name tries again.
  }
}

function kill(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** containerd's shims re-parent themselves away from containerd; they name our socket on their command line. */
function shimPids(runDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const cmdline = readCmdline(pid);
      return (
        cmdline !== undefined && /containerd-shim/.test(cmdline[0] ?? '') && cmdline.some((a) => a.includes(runDir))
      );
    });
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export async function removeRealNode(record: RealNodeRecord, runDir: string): Promise<void> {
  const hierarchies = cgroupHierarchies()
    .map((hierarchy) => join(hierarchy, record.cgroupRoot))
    .filter((dir) => existsSync(dir));
  kill(shimPids(runDir));
  // SIGKILL takes effect asynchronously; the cgroups can only be removed once they are empty.
  await waitFor(
    `real node: pods' processes in ${record.cgroupRoot} gone`,
    () => {
      const pids = [...new Set(hierarchies.flatMap(pidsUnder))];
      kill(pids);
      return Promise.resolve(pids.length === 0 ? true : undefined);
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  ).catch(() => undefined);
  for (const mountPoint of mountsUnder(runDir)) spawnSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  removeNodeNetwork(record.network);
  for (const dir of hierarchies) removeCgroupTree(dir);
}
