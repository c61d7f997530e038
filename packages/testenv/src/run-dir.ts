import { mkdirSync, mkdtempSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const minimumShmBytes = 2 * 1024 ** 3;

/** /dev/shm when it has room (etcd on tmpfs is fast even with fsync), otherwise the temp dir. */
function runDirBase(): string {
  if (process.env.LINNET_RUN_BASE) return process.env.LINNET_RUN_BASE;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= minimumShmBytes) return '/dev/shm';
  } catch {
    // No /dev/shm.
  }
  return tmpdir();
}

/** A private run dir per cluster, so several clusters can run side by side. */
export function createRunDir(clusterName: string): string {
  const dir = mkdtempSync(join(runDirBase(), `linnet-${clusterName}-`));
  for (const sub of ['pki', 'etcd', 'logs', 'prom']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
  return dir;
}
