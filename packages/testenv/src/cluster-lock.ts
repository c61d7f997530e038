import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stateDir } from './paths.ts';
import { isProcessAlive } from './processes.ts';

/**
 * Serialises up/down of one named cluster across processes (the CLI and a jest global setup may race).
 * The lock file holds the owner's pid; a lock whose owner has died is taken over.
 */
export async function withClusterLock<T>(name: string, timeoutMs: number, body: () => Promise<T>): Promise<T> {
  mkdirSync(stateDir(), { recursive: true });
  const lockFile = join(stateDir(), `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(lockFile, 'utf8'));
    } catch {
      continue; // Released between our attempts.
    }
    if (!Number.isInteger(owner) || !isProcessAlive(owner)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(`cluster "${name}": lock ${lockFile} still held by pid ${owner} after ${timeoutMs / 1000}s`);
    }
    if (!announced) {
      process.stderr.write(`[testenv] cluster "${name}" is being changed by pid ${owner}; waiting\n`);
      announced = true;
    }
    await delay(200);
  }
  try {
    return await body();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
