/** Progress lines for a developer tool: plain stderr, so stdout stays clean for `eval "$(npm run -s testenv -- up)"`. */
export type Logger = (line: string) => void;
export declare const stderrLogger: Logger;
