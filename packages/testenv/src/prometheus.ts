import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { probe } from './http.ts';
import { spawnComponent, type SpawnedProcess } from './processes.ts';
import { waitForComponentReady } from './readiness.ts';
import { readState } from './state.ts';

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

/** The job of the controllers that tests register with addScrapeTarget. */
export const CONTROLLER_SCRAPE_JOB = 'linnet-controllers';

/**
 * Scrapes the mesh simulator every second, so Flagger-style `rate(...[interval])` queries see fresh samples within
 * a couple of seconds, and every controller a test registered (a file per target in `scrapeTargetsDir`, re-read
 * every second). honor_labels keeps the scraped labels (a controller's `namespace` label is the Canary's).
 */
export function prometheusConfig(meshSimulatorTarget: string, scrapeTargetsDir: string): string {
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
      {
        job_name: CONTROLLER_SCRAPE_JOB,
        scrape_interval: '1s',
        scrape_timeout: '1s',
        honor_labels: true,
        file_sd_configs: [{ files: [join(scrapeTargetsDir, '*.json')], refresh_interval: '1s' }],
      },
    ],
  });
}

function prometheusDir(runDir: string): string {
  return join(runDir, 'prom');
}

function scrapeTargetsDir(runDir: string): string {
  return join(prometheusDir(runDir), 'targets');
}

export function startPrometheus(options: PrometheusOptions): SpawnedProcess {
  const dir = prometheusDir(options.runDir);
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(scrapeTargetsDir(options.runDir), { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options.meshSimulatorTarget, scrapeTargetsDir(options.runDir)));
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

export interface ScrapeTarget {
  /** Unique per target, e.g. the test's namespace; names the target file. */
  id: string;
  /** host:port serving /metrics. */
  address: string;
  /** Added to every scraped series unless the target has a label of that name. */
  labels?: Record<string, string>;
}

/**
 * Has the named running cluster's Prometheus scrape `target` every second (job CONTROLLER_SCRAPE_JOB) until the
 * returned function is called. A cluster started before this job existed gets the current configuration and a
 * reload first (the change only adds the job).
 */
export async function addScrapeTarget(clusterName: string, target: ScrapeTarget): Promise<() => void> {
  const state = readState(clusterName);
  if (!state) throw new Error(`cluster "${clusterName}" is not running`);
  const targetsDir = scrapeTargetsDir(state.runDir);
  mkdirSync(targetsDir, { recursive: true });
  const configFile = join(prometheusDir(state.runDir), 'prometheus.yml');
  const config = prometheusConfig(`127.0.0.1:${state.ports.meshSimulator}`, targetsDir);
  if (!existsSync(configFile) || readFileSync(configFile, 'utf8') !== config) {
    writeFileSync(configFile, config);
    const reload = await fetch(`${prometheusUrl(state.ports.prometheus)}/-/reload`, { method: 'POST' });
    if (!reload.ok) throw new Error(`Prometheus refused the reload: ${reload.status} ${await reload.text()}`);
  }
  const file = join(targetsDir, `${target.id}.json`);
  // Written whole and renamed, so Prometheus never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify([{ targets: [target.address], labels: target.labels ?? {} }]));
  renameSync(`${file}.tmp`, file);
  return () => rmSync(file, { force: true });
}
