/** Progress lines for a developer tool: plain stderr, so stdout stays clean for `eval "$(npm run -s testenv -- up)"`. */
export type Logger = (line: string) => void;

export const stderrLogger: Logger = (line) => {
  process.stderr.write(`[testenv] ${line}\n`);
};
