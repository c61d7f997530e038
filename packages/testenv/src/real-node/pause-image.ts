// The real node's sandbox ("pause") image, built here because no image registry is reachable: a static Go binary
// that waits for SIGTERM, in a one-layer OCI archive ~/.cache/linnet/images/pause-<version>.oci.tar (umoci and
// skopeo, as deploy/image/build uses). Built once per version (about 5 s warm).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.ts';
import { cacheDir } from '../paths.ts';

const pauseSource = `package main

import (
\t"os"
\t"os/signal"
\t"syscall"
)

// Holds the pod's namespaces until the kubelet stops the sandbox.
func main() {
\tc := make(chan os.Signal, 1)
\tsignal.Notify(c, syscall.SIGINT, syscall.SIGTERM)
\t<-c
}
`;

export function pauseImageRef(version: string): string {
  return `localhost/linnet/pause:${version}`;
}

export function ensurePauseImage(log: Logger, version: string): string {
  const dir = join(cacheDir(), 'images');
  const archive = join(dir, `pause-${version}.oci.tar`);
  if (existsSync(archive)) return archive;
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'pause-build.'));
  try {
    const run = (command: string, args: readonly string[], cwd = work): void => {
      execFileSync(command, args, {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '' },
      });
    };
    mkdirSync(join(work, 'src'));
    writeFileSync(join(work, 'src', 'go.mod'), 'module linnet.dev/throwaway/pause\n\ngo 1.26\n');
    writeFileSync(join(work, 'src', 'main.go'), pauseSource);
    run('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', join(work, 'pause'), '.'], join(work, 'src'));
    const layout = `${join(work, 'layout')}:pause`;
    run('umoci', ['init', '--layout', join(work, 'layout')]);
    run('umoci', ['new', '--image', layout]);
    run('umoci', ['insert', '--image', layout, join(work, 'pause'), '/pause']);
    run('umoci', ['config', '--image', layout, '--config.entrypoint', '/pause', '--config.user', '65535:65535']);
    run('skopeo', ['copy', '--quiet', `oci:${layout}`, `oci-archive:${archive}.tmp:${pauseImageRef(version)}`]);
    renameSync(`${archive}.tmp`, archive);
    log(`pause image ${pauseImageRef(version)} built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return archive;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
