import { type SpawnedProcess } from './processes.ts';
export interface MeshSimulatorOptions {
    runDir: string;
    port: number;
    kubeconfig: string;
    /** Override for tests; defaults to packages/testenv/src/mesh-simulator/main.ts. */
    mainFile?: string;
}
export declare function meshSimulatorUrl(port: number): string;
export declare function meshSimulatorAvailable(mainFile?: string): boolean;
/**
 * Runs the mesh traffic simulator (reads VirtualServices, serves istio_* series on /metrics) with this Node binary,
 * which runs .ts directly. Its cmdline carries the run dir through --kubeconfig, which `down` checks before killing.
 */
export declare function startMeshSimulator(options: MeshSimulatorOptions): SpawnedProcess;
export declare function waitForMeshSimulator(simulator: SpawnedProcess, port: number, timeoutMs?: number): Promise<void>;
