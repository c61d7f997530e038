// Exit codes of every `linnet` command (docs/cli.md). `wait` uses all four; the other commands 0 and 3.
export const EXIT_OK = 0;
/** `wait`: the Canary reached Failed while waiting for something else. */
export const EXIT_CANARY_FAILED = 1;
/** `wait`: the timeout passed first. */
export const EXIT_TIMEOUT = 2;
/** Wrong usage, an object that does not exist, an unreachable cluster, invalid input: anything else. */
export const EXIT_ERROR = 3;

/** An error that ends the command with a message and an exit code (EXIT_ERROR unless said otherwise). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
