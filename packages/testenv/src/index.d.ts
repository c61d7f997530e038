export { checkClusterHealth, formatExports, readClusterEnv, readClusterState, startCluster, stopCluster, type ClusterHealth, type ComponentHealth, type RunningCluster, type StartClusterOptions, type StopClusterResult, } from './cluster.ts';
export { ensureBinaries } from './build.ts';
export { defaultClusterName, listClusterNames, type ClusterEnv, type ClusterState } from './state.ts';
export type { ProcessRecord, StopOutcome } from './processes.ts';
export { isProcessAlive } from './processes.ts';
export { WaitTimeoutError, waitFor } from './wait.ts';
export type { Logger } from './log.ts';
export { addScrapeTarget, CONTROLLER_SCRAPE_JOB, type ScrapeTarget } from './prometheus.ts';
