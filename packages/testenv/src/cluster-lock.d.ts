/**
 * Serialises up/down of one named cluster across processes (the CLI and a jest global setup may race).
 * The lock file holds the owner's pid; a lock whose owner has died is taken over.
 */
export declare function withClusterLock<T>(name: string, timeoutMs: number, body: () => Promise<T>): Promise<T>;
