import type { ProbeResult } from './http.ts';
import { tailFile, type SpawnedProcess } from './processes.ts';
import { waitFor } from './wait.ts';

/** Thrown when a component never became ready; says which one, why, and ends with its log tail. */
export class ComponentNotReadyError extends Error {
  readonly component: string;
  constructor(component: string, reason: string, logFile: string) {
    super(`${component} is not ready: ${reason}\n--- last lines of ${logFile} ---\n${tailFile(logFile)}`);
    this.name = 'ComponentNotReadyError';
    this.component = component;
  }
}

/**
 * Polls `probeOnce` until it reports ok. Fails fast if the process exits, and on timeout reports the last probe
 * result plus the component's log tail.
 */
export async function waitForComponentReady(
  spawned: SpawnedProcess,
  probeOnce: () => Promise<ProbeResult>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const { component, logFile } = spawned.record;
  let last: ProbeResult = { ok: false, detail: 'not probed yet' };
  try {
    await waitFor(
      component,
      async () => {
        const exited = spawned.exitReason();
        if (exited !== undefined) throw new ComponentNotReadyError(component, `process ${exited}`, logFile);
        last = await probeOnce();
        return last.ok ? true : undefined;
      },
      { timeoutMs, intervalMs },
    );
  } catch (error) {
    if (error instanceof ComponentNotReadyError) throw error;
    const detail = last.ok ? 'probe succeeded too late' : last.detail;
    throw new ComponentNotReadyError(
      component,
      `no success within ${timeoutMs / 1000}s (last probe: ${detail})`,
      logFile,
    );
  }
}
