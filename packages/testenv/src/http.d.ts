/** TLS material for https probes: the admin client cert and cluster CA, or `insecure` for self-signed components. */
export interface TlsOptions {
    ca?: string;
    cert?: string;
    key?: string;
    insecure?: boolean;
}
export interface HttpRequestOptions {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    tls?: TlsOptions;
    timeoutMs?: number;
}
export interface HttpResponse {
    status: number;
    body: string;
}
/** One HTTP(S) request with a hard timeout; resolves for any status, rejects on connection errors. */
export declare function httpRequest(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
/** Result of one readiness probe: the response, or why there was none. Used in "not ready" messages. */
export type ProbeResult = {
    ok: true;
    status: number;
    body: string;
} | {
    ok: false;
    detail: string;
};
export declare function probe(url: string, tls?: TlsOptions, timeoutMs?: number): Promise<ProbeResult>;
