// Public lifecycle API: start (or reuse), stop and read clusters by name. See docs/testenv.md.
import { checkClusterHealth } from './cluster-health.ts';
import { withClusterLock } from './cluster-lock.ts';
import { launchCluster, type StartClusterOptions } from './launch.ts';
import { stderrLogger } from './log.ts';
import type { StopOutcome } from './processes.ts';
import { defaultClusterName, readState, type ClusterEnv, type ClusterState } from './state.ts';
import { teardown } from './teardown.ts';

export { checkClusterHealth, type ClusterHealth, type ComponentHealth } from './cluster-health.ts';
export type { StartClusterOptions } from './launch.ts';

export interface RunningCluster {
  name: string;
  env: ClusterEnv;
  state: ClusterState;
  /** True when an already running cluster was returned instead of starting one. */
  reused: boolean;
}

export interface StopClusterResult {
  name: string;
  /** False when no state file existed. */
  found: boolean;
  runDir?: string;
  processes: StopOutcome[];
}

/** up/down of one cluster may wait this long for another process's up (which may include a cold build). */
const lockTimeoutMs = 110 * 60_000;

/**
 * Starts a cluster, or returns the running one of that name if it is healthy. Leftovers of a crashed or unhealthy
 * run (recorded pids whose /proc cmdline still matches) are stopped first.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<RunningCluster> {
  const name = options.name ?? defaultClusterName;
  const log = options.log ?? stderrLogger;
  return withClusterLock(name, lockTimeoutMs, async () => {
    const existing = readState(name);
    if (existing) {
      const health = await checkClusterHealth(existing);
      if (health.healthy && options.reuse !== false) {
        log(`reusing running cluster "${name}" (run dir ${existing.runDir})`);
        return { name, env: existing.env, state: existing, reused: true };
      }
      const problems = health.components.filter((c) => !c.healthy).map((c) => `${c.component}: ${c.detail}`);
      log(`cleaning up previous cluster "${name}"${problems.length ? ` (${problems.join('; ')})` : ''}`);
      await teardown(existing);
    }
    const state = await launchCluster(name, options, log);
    return { name, env: state.env, state, reused: false };
  });
}

/** Stops the named cluster's recorded processes (SIGTERM, wait, SIGKILL) and removes its run dir and state file. */
export async function stopCluster(name = defaultClusterName): Promise<StopClusterResult> {
  return withClusterLock(name, lockTimeoutMs, async () => {
    const state = readState(name);
    if (!state) return { name, found: false, processes: [] };
    const processes = await teardown(state);
    return { name, found: true, runDir: state.runDir, processes };
  });
}

/** The env of a cluster that finished starting, or undefined (no health probe; see checkClusterHealth). */
export function readClusterEnv(name = defaultClusterName): ClusterEnv | undefined {
  const state = readState(name);
  return state?.phase === 'ready' ? state.env : undefined;
}

export function readClusterState(name = defaultClusterName): ClusterState | undefined {
  return readState(name);
}

/** Shell lines for `eval "$(npm run -s testenv -- env)"`. */
export function formatExports(env: ClusterEnv): string {
  const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
  return (Object.entries(env) as [keyof ClusterEnv, string][])
    .map(([key, value]) => `export ${key}=${quote(value)}`)
    .join('\n');
}
