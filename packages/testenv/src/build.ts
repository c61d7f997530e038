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
export async function buildControlPlane(log: Logger): Promise<void> {
  const started = Date.now();
  const child = execa('bash', [buildScript], {
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
 * Unpacks Debian's prometheus .deb into ~/.cache/linnet/bin/prometheus-<major.minor>/ (never installs it: the
 * package's postinst would start a system instance on 0.0.0.0:9090). Runs `apt-get update` only if the download
 * fails, e.g. on a machine whose package lists were never fetched.
 */
export async function ensurePrometheus(log: Logger, versions: Versions = readVersions()): Promise<string> {
  const dir = prometheusDir(versions);
  const binary = binaryPaths(versions).prometheus;
  const stamp = join(dir, '.stamp');
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === versions.prometheus.deb) {
    return binary;
  }
  const pkg = `prometheus=${versions.prometheus.deb}`;
  mkdirSync(join(cacheDir(), 'build'), { recursive: true });
  const work = mkdtempSync(join(cacheDir(), 'build', 'prometheus-'));
  try {
    log(`downloading ${pkg} with apt-get download`);
    let download = await aptDownload(pkg, work);
    if (!download.ok) {
      log('apt-get download failed; running apt-get update and retrying');
      await execa('apt-get', ['update'], { timeout: 10 * 60_000 });
      download = await aptDownload(pkg, work);
      if (!download.ok) throw new Error(`apt-get download ${pkg} failed:\n${download.output}`);
    }
    const deb = readdirSync(work).find((file) => file.endsWith('.deb'));
    if (deb === undefined) throw new Error(`apt-get download ${pkg} produced no .deb in ${work}`);
    const unpacked = join(work, 'root');
    await execa('dpkg-deb', ['-x', join(work, deb), unpacked], { timeout: 5 * 60_000 });
    const version = await execa(join(unpacked, 'usr', 'bin', 'prometheus'), ['--version'], {
      timeout: 30_000,
      all: true,
    });
    log(`unpacked ${String(version.all).split('\n')[0]}`);
    writeFileSync(join(unpacked, '.stamp'), `${versions.prometheus.deb}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Fails with the list of missing files if the build left something out (e.g. an interrupted build). */
export function checkBinaries(paths: BinaryPaths = binaryPaths()): BinaryPaths {
  const missing = Object.values(paths).filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`missing binaries after build: ${missing.join(', ')}`);
  return paths;
}

/** Build step of `up`: control plane via the locked build script, then Prometheus. */
export async function ensureBinaries(log: Logger): Promise<BinaryPaths> {
  await buildControlPlane(log);
  await ensurePrometheus(log);
  return checkBinaries();
}
