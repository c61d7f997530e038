// Start/stop through the programmatic API on a second, separately named cluster, so the shared cluster the other
// suites use is never touched (several clusters run side by side, each with its own run dir and state file).
import { afterAll, describe, expect, jest, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import {
  checkClusterHealth,
  defaultClusterName,
  isProcessAlive,
  readClusterState,
  startCluster,
  stopCluster,
  type Logger,
} from '../src/index.ts';
import { waitFor } from '../src/wait.ts';

// The root config's per-project testTimeout is not applied by jest (it is a global option), and hooks wait on the
// cluster too: namespace deletion alone can take ~20 s (the namespace controller requeues after half the pods' grace).
jest.setTimeout(120_000);

const name = `itest-lifecycle-${process.pid}`;
const log: Logger = (line) => process.stderr.write(`[${name}] ${line}\n`);

describe('cluster lifecycle on a second cluster', () => {
  afterAll(async () => {
    // Safety net if an assertion failed half way; a no-op after the test's own stop.
    await stopCluster(name);
  });

  test('runs beside the shared cluster, is reused, recovers from a crashed component, and down leaves no process behind', async () => {
    const sharedName = process.env.LINNET_TESTENV_CLUSTER ?? defaultClusterName;
    const shared = readClusterState(sharedName);
    expect(shared?.phase).toBe('ready');

    const first = await startCluster({ name, build: false, smokeTest: false, log });
    expect(first.reused).toBe(false);
    expect(first.state.runDir).not.toBe(shared?.runDir);
    expect(first.env.KUBECONFIG).not.toBe(shared?.env.KUBECONFIG);
    const components = first.state.processes.map((p) => p.component);
    expect(components).toEqual(
      expect.arrayContaining([
        'etcd',
        'kube-apiserver',
        'kube-controller-manager',
        'kube-scheduler',
        'kwok',
        'prometheus',
      ]),
    );
    for (const p of first.state.processes) expect(isProcessAlive(p.pid)).toBe(true);

    const again = await startCluster({ name, build: false, log });
    expect(again.reused).toBe(true);
    expect(again.state.runDir).toBe(first.state.runDir);

    // Simulate a crash: the next start must notice, stop the leftovers it recorded, and start afresh.
    const apiserver = first.state.processes.find((p) => p.component === 'kube-apiserver');
    if (!apiserver) throw new Error('no kube-apiserver recorded');
    process.kill(apiserver.pid, 'SIGKILL');
    await waitFor('crashed kube-apiserver gone', async () => (isProcessAlive(apiserver.pid) ? undefined : true), {
      timeoutMs: 10_000,
    });
    const restarted = await startCluster({ name, build: false, smokeTest: false, log });
    expect(restarted.reused).toBe(false);
    expect(restarted.state.runDir).not.toBe(first.state.runDir);
    expect(existsSync(first.state.runDir)).toBe(false);
    for (const p of first.state.processes) expect(isProcessAlive(p.pid)).toBe(false);

    const stopped = await stopCluster(name);
    expect(stopped.found).toBe(true);
    expect(stopped.processes.map((p) => p.pid).sort()).toEqual(restarted.state.processes.map((p) => p.pid).sort());
    for (const p of restarted.state.processes) expect(isProcessAlive(p.pid)).toBe(false);
    expect(existsSync(restarted.state.runDir)).toBe(false);
    expect(readClusterState(name)).toBeUndefined();

    if (shared) expect((await checkClusterHealth(shared)).healthy).toBe(true);
  }, 300_000);
});
