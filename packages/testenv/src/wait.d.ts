export interface WaitOptions {
    /** Hard deadline for the whole wait. */
    timeoutMs: number;
    /** Polling period; the check itself is what synchronises, this only bounds the load. */
    intervalMs?: number;
    /** Called once on timeout to add detail (last probe result, a log tail) to the error. */
    explainTimeout?: () => Promise<string> | string;
}
/** Thrown when a wait runs out of time; `what` names the thing that never became ready. */
export declare class WaitTimeoutError extends Error {
    readonly what: string;
    constructor(what: string, timeoutMs: number, detail: string);
}
/**
 * Polls `check` until it returns a value other than undefined, and returns that value.
 * A check may throw to abort at once (for example when the process being waited on has exited).
 */
export declare function waitFor<T>(what: string, check: () => Promise<T | undefined>, options: WaitOptions): Promise<T>;
