import { readFile } from 'node:fs/promises';
import { convertKuratorRollout, type Canary, type KuratorConversionOptions } from '@linnet/api';
import { parseAllDocuments, stringify } from 'yaml';
import type { CommandContext } from '../command-context.ts';
import { CliError, EXIT_ERROR, EXIT_OK } from '../exit-codes.ts';

const USAGE =
  'usage: linnet convert kurator -f <file|-> [--name <workload>] [-n <namespace>] [--port <port>] ' +
  '[--load-tester-url <url>] [-o yaml|json]';

async function readInput(context: CommandContext, filename: string): Promise<string> {
  if (filename === '-') return context.io.readStdin();
  try {
    return await readFile(filename, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${filename}: ${(error as Error).message}`);
  }
}

function parseDocuments(text: string, filename: string): unknown[] {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) throw new CliError(`${filename}: not YAML or JSON: ${error.message}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  if (values.length === 0) throw new CliError(`${filename}: no document to convert`);
  return values;
}

function conversionOptions(context: CommandContext): KuratorConversionOptions {
  const { options } = context;
  let port: number | undefined;
  if (options.port !== undefined) {
    port = Number(options.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new CliError(`--port: expected 1-65535 (got "${options.port}")`);
  }
  const workload = {
    ...(options.name && { name: options.name }),
    ...(options.namespace && { namespace: options.namespace }),
  };
  return {
    ...(Object.keys(workload).length > 0 && { workload }),
    ...(port !== undefined && { port }),
    ...(options.loadTesterUrl && { loadTesterUrl: options.loadTesterUrl }),
  };
}

/**
 * `linnet convert kurator -f <file|->`: prints the Canaries equivalent to a Kurator Application, rollout or
 * rolloutPolicy (YAML or JSON, several documents allowed). Nothing is printed when any input is invalid.
 */
export async function convertCommand(context: CommandContext): Promise<number> {
  const { args, options, io } = context;
  if (args[0] !== 'kurator' || args.length > 1) throw new CliError(USAGE);
  if (!options.filename) throw new CliError(`convert kurator needs -f <file> (or -f - for standard input)\n${USAGE}`);
  const output = options.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') throw new CliError(`-o: expected yaml or json (got "${output}")`);
  const documents = parseDocuments(await readInput(context, options.filename), options.filename);

  const canaries: Canary[] = [];
  let failed = false;
  const where = (index: number, path: string): string =>
    [documents.length > 1 ? `document ${index + 1}` : '', path].filter(Boolean).join(': ') || '(input)';
  documents.forEach((document, index) => {
    const conversion = convertKuratorRollout(document, conversionOptions(context));
    for (const warning of conversion.warnings)
      io.stderr.write(`warning: ${where(index, warning.path)}: ${warning.message}\n`);
    for (const problem of conversion.problems)
      io.stderr.write(`error: ${where(index, problem.path)}: ${problem.message}\n`);
    failed ||= conversion.problems.length > 0;
    for (const rollout of conversion.rollouts) {
      canaries.push(rollout.canary);
      const loader = rollout.privateTestLoader;
      if (loader) {
        io.stderr.write(
          `note: ${rollout.canary.metadata.namespace}/${rollout.canary.metadata.name} has testLoader: true; its load ` +
            `tests call ${loader.url}: deploy Linnet's test loader as ${loader.name} (Deployment and Service, ` +
            `port 8080) in ${loader.namespace}\n`,
        );
      }
    }
  });
  if (failed) return EXIT_ERROR;
  if (output === 'json') {
    const document = canaries.length === 1 ? canaries[0] : { apiVersion: 'v1', kind: 'List', items: canaries };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(canaries.map((canary) => stringify(canary)).join('---\n'));
  }
  return EXIT_OK;
}
