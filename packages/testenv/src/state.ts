import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessRecord } from './processes.ts';
import type { RealNodeRecord } from './real-node/real-node.ts';
import { stateDir } from './paths.ts';

/** The variables tests and tools need; `up` and `env` print them as `export` lines. */
export interface ClusterEnv {
  KUBECONFIG: string;
  PROMETHEUS_URL: string;
  MESH_SIMULATOR_URL: string;
}

export const portNames = [
  'etcdClient',
  'etcdPeer',
  'apiserver',
  'controllerManager',
  'scheduler',
  'kwok',
  'prometheus',
  'meshSimulator',
  'clusterDns',
] as const;
export type PortName = (typeof portNames)[number];

/**
 * One cluster's record in `~/.cache/linnet/run/<name>.json`. It is written before the first process starts and after
 * each spawn, so a crashed `up` still leaves enough behind for the next `up` or `down` to clean up.
 */
export interface ClusterState {
  name: string;
  phase: 'starting' | 'ready';
  runDir: string;
  /** pid of the process that ran `up` (informational). */
  startedByPid: number;
  startedAt: string;
  readyAt?: string;
  /** Wall time from the start of `up` (after the build check) to all components ready. */
  startupMs?: number;
  ports: Record<PortName, number>;
  processes: ProcessRecord[];
  env: ClusterEnv;
  /** `enabled`: started by `up`; `not-available`: its main.ts does not exist; `off`: disabled by option. */
  meshSimulator: 'enabled' | 'not-available' | 'off';
  kubernetesVersion: string;
  /** Set by `up --real-node`: the node's network and cgroup root, which `down` removes. */
  realNode?: RealNodeRecord;
}

export const defaultClusterName = 'current';

export function stateFile(name: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(name)) throw new Error(`invalid cluster name "${name}"`);
  return join(stateDir(), `${name}.json`);
}

export function readState(name: string): ClusterState | undefined {
  const file = stateFile(name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Atomic (write then rename), so a reader never sees half a file. */
export function writeState(state: ClusterState): void {
  mkdirSync(stateDir(), { recursive: true });
  const file = stateFile(state.name);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function removeState(name: string): void {
  rmSync(stateFile(name), { force: true });
}

/** Names of all clusters that have a state file. */
export function listClusterNames(): string[] {
  if (!existsSync(stateDir())) return [];
  return readdirSync(stateDir())
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length));
}
