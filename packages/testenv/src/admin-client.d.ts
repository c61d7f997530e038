import { type TlsOptions } from './http.ts';
/** A Kubernetes API error: `status` is the HTTP code (422 for validation errors, 404, 409, ...). */
export declare class KubeRequestError extends Error {
    readonly status: number;
    readonly body: string;
    constructor(method: string, path: string, status: number, body: string);
}
export interface KubeObject {
    apiVersion?: string;
    kind?: string;
    metadata?: {
        name?: string;
        namespace?: string;
        [key: string]: unknown;
    };
    [key: string]: unknown;
}
/**
 * The few raw API calls the harness itself needs (CRD apply, discovery, fake node), with the admin client cert.
 * Raw paths keep the harness free of discovery caches and client library quirks; tests use @kubernetes/client-node.
 */
export declare class AdminClient {
    readonly server: string;
    private readonly tls;
    constructor(server: string, files: {
        caCert: string;
        adminCert: string;
        adminKey: string;
    });
    get tlsOptions(): TlsOptions;
    request(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown>;
    get(path: string): Promise<unknown>;
    /** GET that maps 404 to undefined. */
    find(path: string): Promise<unknown>;
    create(collectionPath: string, object: KubeObject): Promise<unknown>;
    /** Server-side apply: no last-applied annotation, so the ~377 KB DestinationRule CRD fits. */
    serverSideApply(objectPath: string, object: KubeObject): Promise<unknown>;
    delete(objectPath: string): Promise<unknown>;
}
