import { parseCommandLine } from './cli-options.ts';
import { createCommandContext, type CliIo, type CommandContext } from './command-context.ts';
import { convertCommand } from './commands/convert.ts';
import { describeCommand } from './commands/describe.ts';
import { getCommand } from './commands/get.ts';
import { requestActionCommand, suspendCommand } from './commands/manual-control.ts';
import { waitCommand } from './commands/wait.ts';
import { watchCommand } from './commands/watch.ts';
import { CliError, EXIT_ERROR, EXIT_OK } from './exit-codes.ts';

export const USAGE = `linnet: progressive delivery for Kubernetes (also usable as "kubectl linnet")

Usage:
  linnet get canaries [<name>] [-n <ns> | -A] [-o wide|json|yaml|name]
  linnet watch [<name>] [-n <ns> | -A]        live table with progress and the last decision
  linnet describe canary <name> [-n <ns>]     spec, status, last checks and events
  linnet promote <name> [-n <ns>]             skip the rest of the analysis and promote
  linnet abort <name> [-n <ns>]               roll the canary back now
  linnet retry <name> [-n <ns>]               run the analysis of a failed revision again
  linnet pause <name> [-n <ns>]               suspend the canary (spec.suspend: true)
  linnet resume <name> [-n <ns>]              resume it (spec.suspend: false)
  linnet wait <name> --for=<phase>|condition=<type>[=<status>] [--timeout=30s] [-n <ns>]
  linnet convert kurator -f <file|-> [--name <workload>] [-n <ns>] [--port <port>] [-o yaml|json]

Global flags:
  --kubeconfig <path>   kubeconfig to use (default $KUBECONFIG, then ~/.kube/config)
  --context <name>      kubeconfig context to use
  -n, --namespace <ns>  namespace (default: the context's namespace)
  -A, --all-namespaces  list across all namespaces

Exit codes: 0 success; wait: 1 the canary failed, 2 timeout; 3 usage or any other error.
`;

const COMMANDS: Record<string, (context: CommandContext) => Promise<number>> = {
  get: getCommand,
  watch: watchCommand,
  describe: describeCommand,
  promote: (context) => requestActionCommand(context, 'promote'),
  abort: (context) => requestActionCommand(context, 'abort'),
  retry: (context) => requestActionCommand(context, 'retry'),
  pause: (context) => suspendCommand(context, true),
  resume: (context) => suspendCommand(context, false),
  wait: waitCommand,
  convert: convertCommand,
};

/** Runs one command line; returns the exit code. Errors are reported on stderr, never thrown. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { command, args, options } = parseCommandLine(argv);
    if (options.help || command === undefined || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined && !options.help ? EXIT_ERROR : EXIT_OK;
    }
    const run = COMMANDS[command];
    if (!run) throw new CliError(`unknown command "${command}" (see linnet --help)`);
    return await run(createCommandContext(args, options, io));
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}
