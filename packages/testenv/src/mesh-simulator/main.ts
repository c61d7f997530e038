/**
 * Linnet's mesh traffic simulator (test/demo only, never part of the product): stands in for Istio's data plane so
 * Prometheus holds Istio-shaped request metrics for the workloads the cluster's VirtualServices route to.
 * See docs/mesh-simulator.md. Started by packages/testenv as
 *   node packages/testenv/src/mesh-simulator/main.ts --kubeconfig <path> --port <port> [--rate <req/s>]
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { AddressInfo } from 'node:net';
import { parseCliOptions, USAGE } from './cli-options.ts';
import { createSimulatorServer } from './http-server.ts';
import { KubeClusterSource } from './kube-cluster-source.ts';
import { LoadJobs } from './load-jobs.ts';
import { seededRandom } from './random.ts';
import { MeshSimulator } from './simulator.ts';

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} mesh-simulator: ${message}\n`);
}

async function main(): Promise<void> {
  const parsed = parseCliOptions(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${USAGE}\n`);
    process.exit(2);
  }
  const options = parsed.options;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeconfig);

  const clock = (): number => Date.now();
  const loadJobs = new LoadJobs();
  const simulator = new MeshSimulator({
    planOptions: { defaultRatePerSecond: options.ratePerSecond, defaultMatchFraction: options.matchFraction },
    random: seededRandom(options.seed),
    loadJobs,
  });
  const cluster = new KubeClusterSource(kubeConfig, { pollIntervalMs: options.pollMs, log });
  cluster.start();

  const server = createSimulatorServer({
    simulator,
    loadJobs,
    clock,
    readiness: () => ({ ready: cluster.ready, detail: { caches: cluster.status() } }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log(
    `listening on http://${options.host}:${port} (rate ${options.ratePerSecond} req/s per VirtualService, seed ${options.seed})`,
  );

  // Ticks wait for the first cluster sync so that the first requests already follow the real routes.
  let reportedProblems = new Set<string>();
  let lastPlan = simulator.plan;
  const timer = setInterval(() => {
    if (!cluster.ready) return;
    simulator.tick(clock(), cluster.snapshot());
    if (simulator.plan !== lastPlan) {
      lastPlan = simulator.plan;
      for (const problem of lastPlan.problems) if (!reportedProblems.has(problem)) log(problem);
      reportedProblems = new Set(lastPlan.problems);
    }
  }, options.tickMs);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    clearInterval(timer);
    server.closeAllConnections();
    server.close();
    cluster.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  log(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
