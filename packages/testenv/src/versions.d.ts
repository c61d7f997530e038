/** The committed pin file (packages/testenv/versions.json); the build script reads the same file. */
export interface Versions {
    kubernetes: {
        version: string;
        staging: string;
        godebug: string;
        minor: string;
    };
    etcd: {
        version: string;
    };
    kwok: {
        version: string;
    };
    istioApi: {
        module: string;
        version: string;
    };
    prometheus: {
        deb: string;
    };
}
export declare function readVersions(): Versions;
export interface BinaryPaths {
    kubeApiserver: string;
    kubeControllerManager: string;
    kubeScheduler: string;
    etcd: string;
    kwok: string;
    prometheus: string;
}
/** Where build-components.sh and the Prometheus unpack put each binary, keyed by pinned version. */
export declare function binaryPaths(versions?: Versions): BinaryPaths;
/** `prometheus-2.42` for deb `2.42.0+ds-5+deb12u1`. */
export declare function prometheusDir(versions?: Versions): string;
