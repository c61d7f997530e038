import { type SpawnedProcess } from './processes.ts';
export interface PrometheusOptions {
    executable: string;
    runDir: string;
    port: number;
    /** host:port of the mesh simulator's /metrics. */
    meshSimulatorTarget: string;
}
export declare function prometheusUrl(port: number): string;
/** The job of the controllers that tests register with addScrapeTarget. */
export declare const CONTROLLER_SCRAPE_JOB = "linnet-controllers";
/**
 * Scrapes the mesh simulator every second, so Flagger-style `rate(...[interval])` queries see fresh samples within
 * a couple of seconds, and every controller a test registered (a file per target in `scrapeTargetsDir`, re-read
 * every second). honor_labels keeps the scraped labels (a controller's `namespace` label is the Canary's).
 */
export declare function prometheusConfig(meshSimulatorTarget: string, scrapeTargetsDir: string): string;
export declare function startPrometheus(options: PrometheusOptions): SpawnedProcess;
export declare function waitForPrometheus(prometheus: SpawnedProcess, port: number, timeoutMs?: number): Promise<void>;
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
export declare function addScrapeTarget(clusterName: string, target: ScrapeTarget): Promise<() => void>;
