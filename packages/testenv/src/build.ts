import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Logger } from './log.ts';
import { buildScript, cacheDir } from './paths.ts';
import { binaryPaths, prometheusDir, readVersions, type BinaryPaths, type Versions } from './versions.ts';

/** A cold build of k8s + etcd + kwok on 2 cores takes tens of minutes; a warm check takes well under a second. */
const buildTimeoutMs = 100 * 60_000;

/**
 * Runs scripts/build-components.sh, which skips components whose stamp matches and waits on
 * ~/.cache/linnet/build.lock if another build is running. Its progress lines go to our stderr.
 */
export async function buildControlPlane(log: Logger, options: { node?: boolean } = {}): Promise<void> {
  const started = Date.now();
  const child = execa('bash', [buildScript], {
    env: options.node === true ? { LINNET_BUILD_NODE: '1' } : {},
    timeout: buildTimeoutMs,
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    all: true,
  });
  const output: string[] = [];
  child.all?.setEncoding('utf8');
  child.all?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter((l) => l !== '')) {
      output.push(line);
      // The "go: downloading" flood is kept for the error message only.
      if (!line.startsWith('go: ')) log(line);
    }
  });
  const result = await child;
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut ? `timed out after ${buildTimeoutMs / 60_000} min` : `exit code ${result.exitCode}`;
    throw new Error(`build-components.sh failed (${why}):\n${output.slice(-40).join('\n')}`);
  }
  log(`control-plane binaries checked in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function aptDownload(pkg: string, dir: string): Promise<{ ok: boolean; output: string }> {
  const result = await execa('apt-get', ['download', pkg], {
    cwd: dir,
    timeout: 10 * 60_000,
    reject: false,
    all: true,
  });
  return { ok: result.exitCode === 0, output: String(result.all ?? '') };
}

/**
 * Unpacks `pkg=version` from the Debian archive into `dir` (never installs it: a package's postinst may start a
 * system service) and returns `dir`; a stamp with the version makes later calls free. Runs `apt-get update` only if
 * the download fails, e.g. on a machine whose package lists were never fetched. `check` is a binary inside the
 * unpacked tree run with `--version` before the tree is moved in place.
 */
export async function unpackDebianPackage(
  log: Logger,
  pkg: string,
  version: string,
  dir: string,
  check: string,
): Promise<string> {
  const stamp = join(dir, '.stamp');
  if (existsSync(join(dir, check)) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) return dir;
  const started = Date.now();
  const spec = `${pkg}=${version}`;
  mkdirSync(join(cacheDir(), 'build'), { recursive: true });
  const work = mkdtempSync(join(cacheDir(), 'build', `${pkg}-`));
  try {
    log(`downloading ${spec} with apt-get download`);
    let download = await aptDownload(spec, work);
    if (!download.ok) {
      log('apt-get download failed; running apt-get update and retrying');
      await execa('apt-get', ['update'], { timeout: 10 * 60_000 });
      download = await aptDownload(spec, work);
      if (!download.ok) throw new Error(`apt-get download ${spec} failed:\n${download.output}`);
    }
    const deb = readdirSync(work).find((file) => file.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download ${spec} produced no .deb in ${work}`);
    const unpacked = join(work, 'root');
    await execa('dpkg-deb', ['-x', join(work, deb), unpacked], { timeout: 5 * 60_000 });
    const checked = await execa(join(unpacked, check), ['--version'], { timeout: 30_000, all: true });
    log(`unpacked ${String(checked.all).split('\n')[0]} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    writeFileSync(join(unpacked, '.stamp'), `${version}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Debian's prometheus, unpacked into ~/.cache/linnet/bin/prometheus-<major.minor>/ (its postinst would start a system instance on 0.0.0.0:9090). */
export async function ensurePrometheus(log: Logger, versions: Versions = readVersions()): Promise<string> {
  await unpackDebianPackage(log, 'prometheus', versions.prometheus.deb, prometheusDir(versions), 'usr/bin/prometheus');
  return binaryPaths(versions).prometheus;
}

/** Fails with the list of missing files if the build left something out (e.g. an interrupted build). */
export function checkBinaries(paths: BinaryPaths = binaryPaths()): BinaryPaths {
  const missing = Object.values(paths).filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`missing binaries after build: ${missing.join(', ')}`);
  return paths;
}

/** Build step of `up`: control plane via the locked build script, then Prometheus. */
export async function ensureBinaries(log: Logger, options: { node?: boolean } = {}): Promise<BinaryPaths> {
  await buildControlPlane(log, options);
  await ensurePrometheus(log);
  return checkBinaries();
}
