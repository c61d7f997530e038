/**
 * Directory of `module@version` in the Go module cache, downloading it through the Go proxy when missing.
 * Data files (Istio CRDs, kwok stages) are read from there at run time and never committed.
 */
export declare function goModuleDir(module: string, version: string): Promise<string>;
