import { type StartClusterOptions } from './launch.ts';
import type { StopOutcome } from './processes.ts';
import { type ClusterEnv, type ClusterState } from './state.ts';
export { checkClusterHealth, type ClusterHealth, type ComponentHealth } from './cluster-health.ts';
export type { StartClusterOptions } from './launch.ts';
export interface RunningCluster {
    name: string;
    env: ClusterEnv;
    state: ClusterState;
    /** True when an already running cluster was returned instead of starting one. */
    reused: boolean;
}
export interface StopClusterResult {
    name: string;
    /** False when no state file existed. */
    found: boolean;
    runDir?: string;
    processes: StopOutcome[];
}
/**
 * Starts a cluster, or returns the running one of that name if it is healthy. Leftovers of a crashed or unhealthy
 * run (recorded pids whose /proc cmdline still matches) are stopped first.
 */
export declare function startCluster(options?: StartClusterOptions): Promise<RunningCluster>;
/** Stops the named cluster's recorded processes (SIGTERM, wait, SIGKILL) and removes its run dir and state file. */
export declare function stopCluster(name?: string): Promise<StopClusterResult>;
/** The env of a cluster that finished starting, or undefined (no health probe; see checkClusterHealth). */
export declare function readClusterEnv(name?: string): ClusterEnv | undefined;
export declare function readClusterState(name?: string): ClusterState | undefined;
/** Shell lines for `eval "$(npm run -s testenv -- env)"`. */
export declare function formatExports(env: ClusterEnv): string;
