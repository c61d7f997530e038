/** packages/testenv, found from this file so the CLI works from any working directory. */
export declare const packageDir: string;
export declare const repoRoot: string;
/** Everything built or downloaded lives here, never in the repository (LINNET_CACHE overrides, as in the build script). */
export declare function cacheDir(): string;
/** State files of running clusters: one `<name>.json` per cluster; the CLI's cluster is `current`. */
export declare function stateDir(): string;
export declare const buildScript: string;
export declare const versionsFile: string;
export declare const meshSimulatorMain: string;
export declare const linnetCrdDir: string;
