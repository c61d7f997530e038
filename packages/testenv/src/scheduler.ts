import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './http.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';

export interface SchedulerOptions {
  executable: string;
  runDir: string;
  port: number;
  kubeconfig: string;
}

/** kube-scheduler binds pods to the fake node; kwok only handles pods that already have spec.nodeName. */
export function startScheduler(options: SchedulerOptions): SpawnedProcess {
  const certDir = join(options.runDir, 'scheduler-certs');
  mkdirSync(certDir, { recursive: true });
  return spawnComponent({
    component: 'kube-scheduler',
    executable: options.executable,
    args: [
      `--kubeconfig=${options.kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${options.port}`,
      `--cert-dir=${certDir}`,
      '--leader-elect=false',
      '--v=1',
    ],
    logFile: join(options.runDir, 'logs', 'kube-scheduler.log'),
  });
}

export function waitForScheduler(scheduler: SpawnedProcess, port: number, timeoutMs = 60_000): Promise<void> {
  return waitForComponentReady(
    scheduler,
    () => probe(`https://127.0.0.1:${port}/healthz`, { insecure: true }),
    timeoutMs,
    200,
  );
}
