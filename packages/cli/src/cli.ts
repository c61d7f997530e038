import { parseCommandLine } from './cli-options.ts';
import { COMMAND_HELP } from './command-help.ts';
import type { CliIo, CommandContext } from './command-context.ts';
import { CliError, EXIT_ERROR, EXIT_OK } from './exit-codes.ts';
import { CLI_VERSION } from './version.ts';

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
  --version             print the version
  -h, --help            this help; "linnet <command> --help" for one command's
  --kubeconfig <path>   kubeconfig to use (default $KUBECONFIG, then ~/.kube/config)
  --context <name>      kubeconfig context to use
  -n, --namespace <ns>  namespace (default: the context's namespace)
  -A, --all-namespaces  list across all namespaces

Exit codes: 0 success; wait: 1 the canary failed, 2 timeout; 3 usage or any other error.
`;

type Command = (context: CommandContext) => Promise<number>;

// Loaded on use: `--help`, `--version` and `convert` never load the Kubernetes client.
const COMMANDS: Record<string, () => Promise<Command>> = {
  get: async () => (await import('./commands/get.ts')).getCommand,
  watch: async () => (await import('./commands/watch.ts')).watchCommand,
  describe: async () => (await import('./commands/describe.ts')).describeCommand,
  promote: async () => manualAction('promote'),
  abort: async () => manualAction('abort'),
  retry: async () => manualAction('retry'),
  pause: async () => suspension(true),
  resume: async () => suspension(false),
  wait: async () => (await import('./commands/wait.ts')).waitCommand,
  convert: async () => (await import('./commands/convert.ts')).convertCommand,
};

async function manualAction(action: 'promote' | 'abort' | 'retry'): Promise<Command> {
  const { requestActionCommand } = await import('./commands/manual-control.ts');
  return (context) => requestActionCommand(context, action);
}

async function suspension(suspend: boolean): Promise<Command> {
  const { suspendCommand } = await import('./commands/manual-control.ts');
  return (context) => suspendCommand(context, suspend);
}

/** Runs one command line; returns the exit code. Errors are reported on stderr, never thrown. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { command, args, options } = parseCommandLine(argv);
    if (options.version || command === 'version') {
      io.stdout.write(`linnet ${CLI_VERSION}\n`);
      return EXIT_OK;
    }
    if (command === undefined || command === 'help') {
      const topic = command === 'help' ? args[0] : undefined;
      io.stdout.write((topic && COMMAND_HELP[topic]) || USAGE);
      return command === undefined && !options.help ? EXIT_ERROR : EXIT_OK;
    }
    const load = COMMANDS[command];
    if (!load) throw new CliError(`unknown command "${command}" (see linnet --help)`);
    if (options.help) {
      io.stdout.write(COMMAND_HELP[command] ?? USAGE);
      return EXIT_OK;
    }
    const run = await load();
    const { createCommandContext } = await import('./command-context.ts');
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
