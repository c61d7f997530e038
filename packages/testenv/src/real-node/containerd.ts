// containerd (Debian's, unpacked) for the real node, in the node's network namespace, with everything under the
// cluster's run dir: content, snapshots, state, the pods' network namespaces and the socket.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnComponent, type SpawnedProcess } from '../processes.ts';
import { waitForComponentReady } from '../readiness.ts';

const execFileAsync = promisify(execFile);

export interface ContainerdPaths {
  dir: string;
  socket: string;
  config: string;
  cniConfDir: string;
}

export function containerdPaths(runDir: string): ContainerdPaths {
  const dir = join(runDir, 'containerd');
  return {
    dir,
    socket: join(dir, 'containerd.sock'),
    config: join(dir, 'config.toml'),
    cniConfDir: join(dir, 'cni'),
  };
}

/** The pods' network: a bridge inside the node's namespace, masqueraded to the node's address on the way out. */
export const podSubnet = '10.88.0.0/24';

function cniConfig(runDir: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'linnet-testenv',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: podSubnet }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: join(runDir, 'containerd', 'cni-ipam'),
        },
      },
    ],
  });
}

function containerdConfig(paths: ContainerdPaths, sandboxImage: string): string {
  return `version = 2
root = "${join(paths.dir, 'root')}"
state = "${join(paths.dir, 'state')}"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${paths.socket}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # The machine's own processes may have a lower OOM score than a container would ask for.
  restrict_oom_score_adj = true
  # No hugetlb controller is mounted on this kind of machine.
  tolerate_missing_hugetlb_controller = true
  disable_hugetlb_controller = true
  # The pods' network namespaces go under the run dir, so teardown finds exactly this node's.
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # crun refuses this machine's mixed cgroup v1/v2 setup; runc works.
        BinaryName = "runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${paths.cniConfDir}"
`;
}

export interface ContainerdOptions {
  /** The unpacked package's root (…/usr/bin/containerd). */
  packageDir: string;
  runDir: string;
  netns: string;
  sandboxImage: string;
}

export function startContainerd(options: ContainerdOptions): SpawnedProcess {
  const paths = containerdPaths(options.runDir);
  mkdirSync(paths.cniConfDir, { recursive: true });
  writeFileSync(join(paths.cniConfDir, '10-linnet.conflist'), cniConfig(options.runDir));
  writeFileSync(paths.config, containerdConfig(paths, options.sandboxImage));
  const bin = join(options.packageDir, 'usr', 'bin');
  return spawnComponent({
    component: 'containerd',
    executable: join(bin, 'containerd'),
    args: ['--config', paths.config],
    logFile: join(options.runDir, 'logs', 'containerd.log'),
    netns: options.netns,
    // containerd finds its shim (containerd-shim-runc-v2) on the PATH.
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
  });
}

export function ctr(packageDir: string, runDir: string, args: readonly string[]): Promise<{ stdout: string }> {
  return execFileAsync(
    join(packageDir, 'usr', 'bin', 'ctr'),
    ['--address', containerdPaths(runDir).socket, '--namespace', 'k8s.io', ...args],
    { timeout: 5 * 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
}

export function waitForContainerd(containerd: SpawnedProcess, packageDir: string, runDir: string): Promise<void> {
  return waitForComponentReady(
    containerd,
    async () => {
      if (!existsSync(containerdPaths(runDir).socket)) return { ok: false, detail: 'no socket yet' };
      try {
        await ctr(packageDir, runDir, ['version']);
        return { ok: true, status: 0, body: '' };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    30_000,
    200,
  );
}

/** Loads an OCI archive (`npm run image` output, the pause image) into the node's image store. */
export async function importImage(packageDir: string, runDir: string, archive: string): Promise<void> {
  await ctr(packageDir, runDir, ['images', 'import', archive]);
}
