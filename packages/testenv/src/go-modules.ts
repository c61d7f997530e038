import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const goEnv = { GOTOOLCHAIN: 'local', GOFLAGS: '-modcacherw' };
let cachedModCache: string | undefined;

async function goModCache(): Promise<string> {
  cachedModCache ??= (
    await execa('go', ['env', 'GOMODCACHE'], { env: goEnv, cwd: tmpdir(), timeout: 30_000 })
  ).stdout.trim();
  return cachedModCache;
}

/** The module cache escapes upper-case letters as `!` + lower case. */
function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * Directory of `module@version` in the Go module cache, downloading it through the Go proxy when missing.
 * Data files (Istio CRDs, kwok stages) are read from there at run time and never committed.
 */
export async function goModuleDir(module: string, version: string): Promise<string> {
  const expected = join(await goModCache(), `${escapeModulePath(module)}@${version}`);
  // The go command extracts into a temporary directory and renames it, so an existing directory is complete.
  if (existsSync(expected)) return expected;
  // Outside any module (tmpdir), so no go.mod nearby changes the resolution.
  const result = await execa('go', ['mod', 'download', '-json', `${module}@${version}`], {
    env: goEnv,
    cwd: tmpdir(),
    timeout: 10 * 60_000,
    reject: false,
  });
  let parsed: { Dir?: string; Error?: string } = {};
  try {
    parsed = JSON.parse(result.stdout) as { Dir?: string; Error?: string };
  } catch {
    // Reported below with stderr.
  }
  if (result.exitCode !== 0 || !parsed.Dir) {
    throw new Error(`go mod download ${module}@${version} failed: ${parsed.Error ?? result.stderr}`);
  }
  return parsed.Dir;
}
