// The peer every controller benchmark runs beside: Flagger, built once from the Go module proxy and cached.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const FLAGGER_VERSION = 'v1.44.0';
const flaggerDir = join(homedir(), '.cache', 'linnet', 'flagger', FLAGGER_VERSION);

/** The path of the flagger binary, built with `go install` into ~/.cache/linnet/flagger/<version> if missing. */
export function ensureFlagger(log: (message: string) => void): string {
  const binary = join(flaggerDir, 'flagger');
  if (existsSync(binary)) return binary;
  mkdirSync(flaggerDir, { recursive: true });
  log(`building Flagger ${FLAGGER_VERSION} from the Go module proxy (minutes)`);
  execFileSync('go', ['install', `github.com/fluxcd/flagger/cmd/flagger@${FLAGGER_VERSION}`], {
    env: { ...process.env, GOBIN: flaggerDir },
    stdio: 'inherit',
  });
  return binary;
}
