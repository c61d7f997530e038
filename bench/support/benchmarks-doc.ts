// docs/benchmarks.md holds one section per bench run, between `<!-- id:start -->` and `<!-- id:end -->` markers: a
// new run replaces its own section and leaves the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../packages/testenv/src/paths.ts';

export const benchmarksFile = join(repoRoot, 'docs', 'benchmarks.md');

/**
 * Replaces the section between `startMarker` and `endMarker` (which `section` must start and end with); a new
 * section goes before `anchor` when the file has it, else at the end.
 */
export function writeBenchmarkSection(startMarker: string, endMarker: string, section: string, anchor?: string): void {
  const current = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const updated =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + endMarker.length)}`
      : anchor !== undefined && current.includes(anchor)
        ? current.replace(anchor, `${section}\n\n${anchor}`)
        : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(benchmarksFile, updated);
}
