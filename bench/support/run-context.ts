// What every benchmark section states about the run: the commit measured and the machine it ran on.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { repoRoot } from '../../packages/testenv/src/paths.ts';

/** The short commit of this checkout, or "unknown" outside a git checkout. */
export function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** e.g. "2 cores (Intel(R) Xeon(R) Processor), 24 GiB, Node v24.21.0". */
export function machineDescription(): string {
  return (
    `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`
  );
}
