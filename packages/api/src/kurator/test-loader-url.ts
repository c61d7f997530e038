/** The port Linnet's test loader (packages/testloader) listens on. */
export const TEST_LOADER_PORT = 8080;

/** The Deployment and Service of a workload's private test loader, `<workload>-testloader`. */
export function testLoaderName(workloadName: string): string {
  return `${workloadName}-testloader`;
}

/**
 * The URL of a workload's private test loader, the Service `<workload>-testloader` that Kurator deploys next to the
 * workload when `testLoader: true`; the load-test webhooks of a converted or annotated Canary call it.
 */
export function testLoaderUrl(workloadName: string, namespace: string): string {
  return `http://${testLoaderName(workloadName)}.${namespace}:${TEST_LOADER_PORT}/`;
}
