// @linnet/testenv: a real local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)
// plus Prometheus and the mesh simulator, for integration tests and development. See docs/testenv.md.
export {
  checkClusterHealth,
  formatExports,
  readClusterEnv,
  readClusterState,
  startCluster,
  stopCluster,
  type ClusterHealth,
  type ComponentHealth,
  type RunningCluster,
  type StartClusterOptions,
  type StopClusterResult,
} from './cluster.ts';
export { ensureBinaries } from './build.ts';
export { binaryPaths } from './versions.ts';
export {
  controllerImageArchive,
  missingContainerTools,
  prepareControllerContainer,
  type ControllerContainer,
} from './controller-container.ts';
export { defaultClusterName, listClusterNames, type ClusterEnv, type ClusterState } from './state.ts';
export type { ProcessRecord, StopOutcome } from './processes.ts';
export { isProcessAlive } from './processes.ts';
export { WaitTimeoutError, waitFor } from './wait.ts';
export type { Logger } from './log.ts';
export { addScrapeTarget, CONTROLLER_SCRAPE_JOB, type ScrapeTarget } from './prometheus.ts';
export {
  builtImageArchives,
  exposeToRealNode,
  loadRealNodeImages,
  realNodeName,
  type RealNodeRecord,
} from './real-node/real-node.ts';
export { clusterServiceProxyEnv, startClusterServiceProxy, type ClusterServiceProxy } from './cluster-service-proxy.ts';
