import type { ProcessRecord } from './processes.ts';
/** The variables tests and tools need; `up` and `env` print them as `export` lines. */
export interface ClusterEnv {
    KUBECONFIG: string;
    PROMETHEUS_URL: string;
    MESH_SIMULATOR_URL: string;
}
export declare const portNames: readonly ["etcdClient", "etcdPeer", "apiserver", "controllerManager", "scheduler", "kwok", "prometheus", "meshSimulator"];
export type PortName = (typeof portNames)[number];
/**
 * One cluster's record in `~/.cache/linnet/run/<name>.json`. It is written before the first process starts and after
 * each spawn, so a crashed `up` still leaves enough behind for the next `up` or `down` to clean up.
 */
export interface ClusterState {
    name: string;
    phase: 'starting' | 'ready';
    runDir: string;
    /** pid of the process that ran `up` (informational). */
    startedByPid: number;
    startedAt: string;
    readyAt?: string;
    /** Wall time from the start of `up` (after the build check) to all components ready. */
    startupMs?: number;
    ports: Record<PortName, number>;
    processes: ProcessRecord[];
    env: ClusterEnv;
    /** `enabled`: started by `up`; `not-available`: its main.ts does not exist; `off`: disabled by option. */
    meshSimulator: 'enabled' | 'not-available' | 'off';
    kubernetesVersion: string;
}
export declare const defaultClusterName = "current";
export declare function stateFile(name: string): string;
export declare function readState(name: string): ClusterState | undefined;
/** Atomic (write then rename), so a reader never sees half a file. */
export declare function writeState(state: ClusterState): void;
export declare function removeState(name: string): void;
/** Names of all clusters that have a state file. */
export declare function listClusterNames(): string[];
