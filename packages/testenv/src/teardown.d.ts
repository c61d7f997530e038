import { type StopOutcome } from './processes.ts';
import { type ClusterState } from './state.ts';
/** Stops exactly the recorded processes, removes the run dir and the state file. */
export declare function teardown(state: ClusterState): Promise<StopOutcome[]>;
/** Keeps the logs of a failed start outside the run dir, which teardown removes. */
export declare function preserveLogs(state: ClusterState): string | undefined;
