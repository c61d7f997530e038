/** What the state file keeps about each process we started; enough to find and stop it from another process. */
export interface ProcessRecord {
    component: string;
    pid: number;
    executable: string;
    logFile: string;
}
export interface SpawnSpec {
    component: string;
    executable: string;
    args: readonly string[];
    logFile: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
}
/** A process started by this Node process; `exitReason()` is set once it has exited. */
export interface SpawnedProcess {
    record: ProcessRecord;
    exitReason(): string | undefined;
}
/**
 * Starts a component detached in its own process group (so stop can signal the group, and Ctrl-C on the CLI does not
 * reach it), with stdout and stderr appended to its log file. The child is unref'd so `up` can exit and leave it running.
 */
export declare function spawnComponent(spec: SpawnSpec): SpawnedProcess;
/** True while the pid exists and is not a zombie (a zombie has exited; only its parent has not reaped it yet). */
export declare function isProcessAlive(pid: number): boolean;
export declare function readCmdline(pid: number): string[] | undefined;
/**
 * Guards against pid reuse before killing a recorded pid: the live process must run the recorded executable and
 * mention our run dir in its arguments (every component gets a path under the run dir).
 */
export declare function isRecordedProcess(record: ProcessRecord, runDir: string): boolean;
export interface StopOutcome {
    component: string;
    pid: number;
    /** `not-ours` means the pid now belongs to some other program, so it was left alone. */
    result: 'terminated' | 'killed' | 'already-gone' | 'not-ours';
}
/** SIGTERM to the process group, wait up to `graceMs`, then SIGKILL; never touches a pid that is not ours. */
export declare function stopProcess(record: ProcessRecord, runDir: string, graceMs?: number): Promise<StopOutcome>;
/** The last `lines` lines of a log file (read from its last 64 KiB), for failure messages. */
export declare function tailFile(path: string, lines?: number): string;
