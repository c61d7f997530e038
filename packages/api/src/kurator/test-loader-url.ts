/** The port Linnet's test loader (packages/testloader) listens on. */
export const TEST_LOADER_PORT = 8080;

/**
 * The URL of a workload's private test loader, the Service `<workload>-testloader` that Kurator deploys next to the
 * workload when `testLoader: true`; the load-test webhooks of a converted or annotated Canary call it.
 */
export function testLoaderUrl(workloadName: string, namespace: string): string {
  return `http://${workloadName}-testloader.${namespace}:${TEST_LOADER_PORT}/`;
}
