import type { Logger } from './log.ts';
import { type BinaryPaths, type Versions } from './versions.ts';
/**
 * Runs scripts/build-components.sh, which skips components whose stamp matches and waits on
 * ~/.cache/linnet/build.lock if another build is running. Its progress lines go to our stderr.
 */
export declare function buildControlPlane(log: Logger): Promise<void>;
/**
 * Unpacks Debian's prometheus .deb into ~/.cache/linnet/bin/prometheus-<major.minor>/ (never installs it: the
 * package's postinst would start a system instance on 0.0.0.0:9090). Runs `apt-get update` only if the download
 * fails, e.g. on a machine whose package lists were never fetched.
 */
export declare function ensurePrometheus(log: Logger, versions?: Versions): Promise<string>;
/** Fails with the list of missing files if the build left something out (e.g. an interrupted build). */
export declare function checkBinaries(paths?: BinaryPaths): BinaryPaths;
/** Build step of `up`: control plane via the locked build script, then Prometheus. */
export declare function ensureBinaries(log: Logger): Promise<BinaryPaths>;
