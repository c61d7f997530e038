// @linnet/cli: the `linnet` command. The entry point is main.ts; runCli runs a command line in-process.
export { runCli, USAGE } from './cli.ts';
export type { CliIo, CliOutput } from './command-context.ts';
export { EXIT_OK, EXIT_CANARY_FAILED, EXIT_TIMEOUT, EXIT_ERROR } from './exit-codes.ts';
export { parseWaitTarget, evaluateWait, type WaitTarget, type WaitState } from './wait-condition.ts';
