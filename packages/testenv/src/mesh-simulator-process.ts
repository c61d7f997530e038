import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './http.ts';
import { meshSimulatorMain } from './paths.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';

export interface MeshSimulatorOptions {
  runDir: string;
  port: number;
  kubeconfig: string;
  /** Override for tests; defaults to packages/testenv/src/mesh-simulator/main.ts. */
  mainFile?: string;
}

export function meshSimulatorUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export function meshSimulatorAvailable(mainFile = meshSimulatorMain): boolean {
  return existsSync(mainFile);
}

/**
 * Runs the mesh traffic simulator (reads VirtualServices, serves istio_* series on /metrics) with this Node binary,
 * which runs .ts directly. Its cmdline carries the run dir through --kubeconfig, which `down` checks before killing.
 */
export function startMeshSimulator(options: MeshSimulatorOptions): SpawnedProcess {
  const mainFile = options.mainFile ?? meshSimulatorMain;
  return spawnComponent({
    component: 'mesh-simulator',
    executable: process.execPath,
    args: [mainFile, '--kubeconfig', options.kubeconfig, '--port', String(options.port)],
    logFile: join(options.runDir, 'logs', 'mesh-simulator.log'),
    env: { ...process.env, KUBECONFIG: options.kubeconfig, NODE_OPTIONS: '' },
  });
}

export function waitForMeshSimulator(simulator: SpawnedProcess, port: number, timeoutMs = 30_000): Promise<void> {
  return waitForComponentReady(simulator, () => probe(`${meshSimulatorUrl(port)}/healthz`), timeoutMs, 100);
}
