import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { probe } from './http.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';

export interface PrometheusOptions {
  executable: string;
  runDir: string;
  port: number;
  /** host:port of the mesh simulator's /metrics. */
  meshSimulatorTarget: string;
}

export function prometheusUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * Scrapes the mesh simulator every second, so Flagger-style `rate(...[interval])` queries see fresh samples within
 * a couple of seconds. honor_labels keeps the simulator's own labels if they clash with job/instance.
 */
export function prometheusConfig(meshSimulatorTarget: string): string {
  return stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: [
      {
        job_name: 'mesh-simulator',
        scrape_interval: '1s',
        scrape_timeout: '1s',
        honor_labels: true,
        static_configs: [{ targets: [meshSimulatorTarget] }],
      },
    ],
  });
}

export function startPrometheus(options: PrometheusOptions): SpawnedProcess {
  const dir = join(options.runDir, 'prom');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options.meshSimulatorTarget));
  return spawnComponent({
    component: 'prometheus',
    executable: options.executable,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      // Remote write lets tests push exact, timestamped series; lifecycle allows /-/reload; admin allows series deletion.
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      '--web.enable-admin-api',
      '--log.level=warn',
    ],
    logFile: join(options.runDir, 'logs', 'prometheus.log'),
  });
}

export function waitForPrometheus(prometheus: SpawnedProcess, port: number, timeoutMs = 30_000): Promise<void> {
  return waitForComponentReady(prometheus, () => probe(`${prometheusUrl(port)}/-/ready`), timeoutMs, 100);
}
