// The controller image (`npm run image`: ~/.cache/linnet/images/controller-<version>.oci.tar) run as a locked-down
// runc container (controller-image.e2e.ts, `npm run demo -- --controller-image`): the image's own user (65532), a
// read-only root filesystem, no capabilities, no new privileges, a tmpfs /tmp (the Deployment's emptyDir), and only
// the directory holding its kubeconfig mounted, read-only. It shares the host's network namespace: the local cluster
// listens on loopback only, and there is no pod network.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './paths.ts';

export interface RuntimeSpec {
  process: {
    args: string[];
    terminal?: boolean;
    user: { uid: number; gid: number };
    capabilities?: Record<string, string[]>;
    noNewPrivileges?: boolean;
    cwd: string;
  };
  root: { path: string; readonly?: boolean };
  mounts: { destination: string; type: string; source: string; options: string[] }[];
  linux: { namespaces: { type: string }[] };
}

export interface ControllerContainer {
  /** The image reference in the archive, e.g. ghcr.io/linnet/controller:0.1.0. */
  readonly image: string;
  /** The runtime spec the container runs with (for assertions on the lock-down). */
  spec(): RuntimeSpec;
  /** The unpacked bundle (its path is on runc's command line). */
  readonly bundle: string;
  /** Writes the controller's flags into the spec and returns the runc command that runs it. */
  launch(flags: readonly string[]): { command: string; args: string[] };
  /** Deletes the container (if still there) and the unpacked bundle. */
  remove(): void;
}

/** The archive `npm run image` writes for `version`; undefined when it has not been built. */
export function controllerImageArchive(version: string): string | undefined {
  const file = join(cacheDir(), 'images', `controller-${version}.oci.tar`);
  return existsSync(file) ? file : undefined;
}

/** Which of the tools the container needs are missing from the PATH. */
export function missingContainerTools(): string[] {
  return ['runc', 'umoci', 'skopeo'].filter((tool) => spawnSync(tool, ['--version']).status !== 0);
}

/**
 * Unpacks the image into a runc bundle and locks it down. `readOnlyDir` is mounted at the same path (the kubeconfig
 * and anything else the flags name must be inside it, readable by UID 65532).
 */
export function prepareControllerContainer(archive: string, readOnlyDir: string): ControllerContainer {
  const work = mkdtempSync(join(tmpdir(), 'linnet-container-'));
  const id = `linnet-e2e-${process.pid}-${Date.now().toString(36)}`;
  const bundle = join(work, 'bundle');
  // The reference the archive was written with, from its OCI index.
  const index = JSON.parse(execFileSync('tar', ['-xOf', archive, 'index.json'], { encoding: 'utf8' })) as {
    manifests: { annotations?: Record<string, string> }[];
  };
  const image = index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name'] ?? '';
  execFileSync('skopeo', ['copy', '--quiet', `oci-archive:${archive}`, `oci:${join(work, 'layout')}:controller`]);
  execFileSync('umoci', ['unpack', '--image', `${join(work, 'layout')}:controller`, bundle], { stdio: 'pipe' });
  const specFile = join(bundle, 'config.json');
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as RuntimeSpec;
  // The image's entrypoint: node, its V8 flags and the main file (packages/controller/build/main.mjs); then its Cmd.
  const main = spec.process.args.findIndex((arg) => /\.(m?js|ts)$/.test(arg));
  if (main === -1) throw new Error(`${archive}: no main file in the image's command ${spec.process.args.join(' ')}`);
  const entrypoint = spec.process.args.slice(0, main + 1);
  spec.process.terminal = false;
  spec.process.noNewPrivileges = true;
  spec.process.capabilities = { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] };
  spec.root.readonly = true;
  spec.linux.namespaces = spec.linux.namespaces.filter((namespace) => namespace.type !== 'network');
  spec.mounts = [
    ...spec.mounts.filter((mount) => mount.destination !== '/tmp'),
    { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'size=65536k'] },
    { destination: readOnlyDir, type: 'bind', source: readOnlyDir, options: ['rbind', 'ro'] },
  ];
  const write = (args: readonly string[]): void => {
    spec.process.args = [...entrypoint, ...args];
    writeFileSync(specFile, JSON.stringify(spec, null, 2));
  };
  write([]);
  return {
    image,
    bundle,
    spec: () => structuredClone(spec),
    launch: (flags) => {
      write(flags);
      return { command: 'runc', args: ['run', '--bundle', bundle, id] };
    },
    remove: () => {
      spawnSync('runc', ['delete', '--force', id]);
      rmSync(work, { recursive: true, force: true });
    },
  };
}
