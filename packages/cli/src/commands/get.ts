import type { Canary } from '@linnet/api';
import { stringify } from 'yaml';
import { getCanary, listCanaries } from '../cluster/canary-resources.ts';
import { isCanaryResource } from '../cli-options.ts';
import type { CommandContext } from '../command-context.ts';
import { CliError, EXIT_OK } from '../exit-codes.ts';
import { canaryTable } from '../views/canary-table.ts';

const OUTPUTS = ['wide', 'json', 'yaml', 'name'] as const;
type Output = (typeof OUTPUTS)[number] | undefined;

function outputFormat(text: string | undefined): Output {
  if (text === undefined) return undefined;
  const output = OUTPUTS.find((candidate) => candidate === text);
  if (!output) throw new CliError(`-o: unknown output format "${text}" (one of ${OUTPUTS.join(', ')})`);
  return output;
}

/** The same document kubectl prints for a list. */
function asList(items: readonly Canary[]) {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}

/** `linnet get canaries [name] [-n ns | -A] [-o wide|json|yaml|name]` */
export async function getCommand(context: CommandContext): Promise<number> {
  const { args, options, io } = context;
  const [resource, name, ...extra] = args;
  if (!resource || !isCanaryResource(resource) || extra.length > 0) {
    throw new CliError('usage: linnet get canaries [<name>] [-n <namespace> | -A] [-o wide|json|yaml|name]');
  }
  const output = outputFormat(options.output);
  if (name && options.allNamespaces) throw new CliError('a canary name cannot be combined with -A');
  const namespace = options.allNamespaces ? undefined : context.namespace();
  const client = context.client();
  const canaries = name
    ? [await getCanary(client, namespace ?? '', name)]
    : (await listCanaries(client, { namespace })).items;

  if (output === 'json' || output === 'yaml') {
    const document = name ? canaries[0] : asList(canaries);
    io.stdout.write(output === 'json' ? `${JSON.stringify(document, null, 4)}\n` : stringify(document));
    return EXIT_OK;
  }
  if (canaries.length === 0) {
    io.stderr.write(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
    return EXIT_OK;
  }
  if (output === 'name') {
    for (const canary of canaries) io.stdout.write(`canary.flagger.app/${canary.metadata.name}\n`);
    return EXIT_OK;
  }
  io.stdout.write(canaryTable(canaries, { allNamespaces: namespace === undefined, wide: output === 'wide' }));
  return EXIT_OK;
}
