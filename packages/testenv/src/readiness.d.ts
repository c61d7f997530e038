import type { ProbeResult } from './http.ts';
import { type SpawnedProcess } from './processes.ts';
/** Thrown when a component never became ready; says which one, why, and ends with its log tail. */
export declare class ComponentNotReadyError extends Error {
    readonly component: string;
    constructor(component: string, reason: string, logFile: string);
}
/**
 * Polls `probeOnce` until it reports ok. Fails fast if the process exits, and on timeout reports the last probe
 * result plus the component's log tail.
 */
export declare function waitForComponentReady(spawned: SpawnedProcess, probeOnce: () => Promise<ProbeResult>, timeoutMs: number, intervalMs?: number): Promise<void>;
