import type { Logger } from './log.ts';
import { type ClusterState } from './state.ts';
export interface StartClusterOptions {
    /** State file name under ~/.cache/linnet/run; use a distinct name for a second, independent cluster. */
    name?: string;
    /** Return the already running cluster of this name if it is healthy (default true). */
    reuse?: boolean;
    /** Run the build script and Prometheus unpack first (default true; both are no-ops when cached). */
    build?: boolean;
    /** Start the mesh simulator: `auto` (default) starts it when its main.ts exists. */
    meshSimulator?: 'auto' | 'off' | {
        mainFile: string;
    };
    /** Create a Deployment and delete its namespace once, to prove KCM + scheduler + kwok work (default true). */
    smokeTest?: boolean;
    log?: Logger;
}
/** Starts every component of a new cluster in a fresh run dir; on failure stops what it started and rethrows. */
export declare function launchCluster(name: string, options: StartClusterOptions, log: Logger): Promise<ClusterState>;
