import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/testenv, found from this file so the CLI works from any working directory. */
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(packageDir, '..', '..');

/** Everything built or downloaded lives here, never in the repository (LINNET_CACHE overrides, as in the build script). */
export function cacheDir(): string {
  return process.env.LINNET_CACHE ?? join(homedir(), '.cache', 'linnet');
}

/** State files of running clusters: one `<name>.json` per cluster; the CLI's cluster is `current`. */
export function stateDir(): string {
  return join(cacheDir(), 'run');
}

export const buildScript = join(packageDir, 'scripts', 'build-components.sh');
export const versionsFile = join(packageDir, 'versions.json');
export const meshSimulatorMain = join(packageDir, 'src', 'mesh-simulator', 'main.ts');
export const linnetCrdDir = join(repoRoot, 'deploy', 'crds');
