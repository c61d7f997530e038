import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './paths.ts';
import { removeRealNode } from './real-node/real-node-teardown.ts';
import { stopProcess, type ProcessRecord, type StopOutcome } from './processes.ts';
import { removeState, type ClusterState } from './state.ts';

// Clients first, storage last (recipe section 7 step 17); processes of one rank stop in parallel.
const stopRank: Record<string, number> = {
  kwok: 0,
  'kube-scheduler': 0,
  'kube-controller-manager': 0,
  'mesh-simulator': 0,
  kubelet: 0,
  'kube-proxy': 0,
  'cluster-dns': 0,
  containerd: 1,
  'kube-apiserver': 1,
  etcd: 2,
  prometheus: 2,
};

async function stopRecordedProcesses(records: readonly ProcessRecord[], runDir: string): Promise<StopOutcome[]> {
  const outcomes: StopOutcome[] = [];
  const ranks = [...new Set(records.map((r) => stopRank[r.component] ?? 0))].sort((a, b) => a - b);
  for (const rank of ranks) {
    const batch = records.filter((r) => (stopRank[r.component] ?? 0) === rank);
    outcomes.push(...(await Promise.all(batch.map((record) => stopProcess(record, runDir)))));
  }
  return outcomes;
}

/** Stops exactly the recorded processes, removes the run dir and the state file. */
export async function teardown(state: ClusterState): Promise<StopOutcome[]> {
  const outcomes = await stopRecordedProcesses(state.processes, state.runDir);
  if (state.realNode) await removeRealNode(state.realNode, state.runDir);
  rmSync(state.runDir, { recursive: true, force: true });
  removeState(state.name);
  return outcomes;
}

/** Keeps the logs of a failed start outside the run dir, which teardown removes. */
export function preserveLogs(state: ClusterState): string | undefined {
  const from = join(state.runDir, 'logs');
  if (!existsSync(from)) return undefined;
  const to = join(stateDir(), `${state.name}-failed-logs`);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  return to;
}
