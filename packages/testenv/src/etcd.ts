import { join } from 'node:path';
import { probe } from './http.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';

export interface EtcdOptions {
  executable: string;
  runDir: string;
  clientPort: number;
  peerPort: number;
}

export function etcdUrl(clientPort: number): string {
  return `http://127.0.0.1:${clientPort}`;
}

/** etcd with its data dir in the run dir; fsync off because the data is thrown away (recipe section 7 step 8). */
export function startEtcd(options: EtcdOptions): SpawnedProcess {
  const client = etcdUrl(options.clientPort);
  const peer = `http://127.0.0.1:${options.peerPort}`;
  return spawnComponent({
    component: 'etcd',
    executable: options.executable,
    args: [
      '--name=testenv',
      `--data-dir=${join(options.runDir, 'etcd')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=testenv=${peer}`,
      '--unsafe-no-fsync=true',
      '--watch-progress-notify-interval=5s',
      '--log-level=warn',
    ],
    logFile: join(options.runDir, 'logs', 'etcd.log'),
  });
}

export function waitForEtcd(etcd: SpawnedProcess, clientPort: number, timeoutMs = 15_000): Promise<void> {
  return waitForComponentReady(etcd, () => probe(`${etcdUrl(clientPort)}/readyz`), timeoutMs, 50);
}
