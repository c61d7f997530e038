import { parseArgs } from 'node:util';
import { CliError } from './exit-codes.ts';

// The flags every command shares (kubectl's names where kubectl has one), parsed once.

export interface CliOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  for?: string;
  timeout?: string;
  filename?: string;
  name?: string;
  port?: string;
  loadTesterUrl?: string;
  help: boolean;
  version: boolean;
}

export interface ParsedCommandLine {
  command: string | undefined;
  /** Positional arguments after the command. */
  args: string[];
  options: CliOptions;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        output: { type: 'string', short: 'o' },
        for: { type: 'string' },
        timeout: { type: 'string' },
        filename: { type: 'string', short: 'f' },
        name: { type: 'string' },
        port: { type: 'string' },
        'load-tester-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message} (see linnet --help)`);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  return {
    command,
    args,
    options: {
      kubeconfig: values.kubeconfig,
      context: values.context,
      namespace: values.namespace,
      allNamespaces: values['all-namespaces'] ?? false,
      output: values.output,
      for: values.for,
      timeout: values.timeout,
      filename: values.filename,
      name: values.name,
      port: values.port,
      loadTesterUrl: values['load-tester-url'],
      help: values.help ?? false,
      version: values.version ?? false,
    },
  };
}

const CANARY_RESOURCE_NAMES = new Set(['canary', 'canaries', 'canary.flagger.app', 'canaries.flagger.app']);

export function isCanaryResource(word: string): boolean {
  return CANARY_RESOURCE_NAMES.has(word.toLowerCase());
}

/**
 * The Canary a command is about, written as kubectl accepts it: `<name>`, `canary <name>` or `canary/<name>`.
 */
export function canaryNameFrom(args: readonly string[], command: string): string {
  const [first, second, ...rest] = args;
  let name: string | undefined;
  if (first?.includes('/')) {
    const [resource = '', objectName] = first.split('/');
    if (!isCanaryResource(resource)) throw new CliError(`${command}: only canaries are supported (got "${first}")`);
    name = second === undefined ? objectName : undefined;
  } else if (first !== undefined && isCanaryResource(first)) {
    name = rest.length === 0 ? second : undefined;
  } else {
    name = second === undefined ? first : undefined;
  }
  if (!name) throw new CliError(`${command}: expected one canary name, e.g. linnet ${command} podinfo`);
  return name;
}
