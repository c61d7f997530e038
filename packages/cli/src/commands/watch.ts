import type { Canary } from '@linnet/api';
import { readCanaryWorkloads, type CanaryWorkloads } from '../cluster/canary-workloads.ts';
import type { ClusterClient } from '../cluster/cluster-client.ts';
import { followCanaries } from '../cluster/follow-canaries.ts';
import type { CommandContext } from '../command-context.ts';
import { CliError, EXIT_OK } from '../exit-codes.ts';
import { watchTable } from '../views/canary-table.ts';

const CLEAR_SCREEN = '\u001b[H\u001b[2J';

/**
 * `linnet watch [name] [-n ns | -A]`: a table redrawn on every change of a Canary, with step n/m, a progress bar,
 * the elapsed time, the primary and canary workloads (read again on each change) and the last decision's
 * explanation. On a terminal the table is redrawn in place; otherwise each changed table is appended.
 */
export async function watchCommand(context: CommandContext): Promise<number> {
  const { io, options, args } = context;
  const [name, ...extra] = args[0] !== undefined && /^canar(y|ies)$/i.test(args[0]) ? args.slice(1) : args;
  if (extra.length > 0) throw new CliError('usage: linnet watch [<name>] [-n <namespace> | -A]');
  if (name && options.allNamespaces) throw new CliError('a canary name cannot be combined with -A');
  const namespace = options.allNamespaces ? undefined : context.namespace();
  const client = context.client();
  const updates = followCanaries(
    client,
    { namespace },
    { signal: io.interrupt, ...(name && { fieldSelector: `metadata.name=${name}` }) },
  );
  let previousFrame = '';
  try {
    for await (const canaries of updates) {
      const frame =
        canaries.size === 0
          ? `No canaries found${namespace ? ` in ${namespace} namespace` : ''}; waiting for some to appear.\n`
          : watchTable([...canaries.values()], {
              allNamespaces: namespace === undefined,
              now: context.now(),
              workloads: await readAllWorkloads(client, [...canaries.values()]),
              ...(io.stdout.isTTY && io.stdout.columns && { width: io.stdout.columns }),
            });
      if (frame === previousFrame) continue;
      previousFrame = frame;
      io.stdout.write(io.stdout.isTTY ? CLEAR_SCREEN + frame : `${frame}\n`);
    }
  } catch (error) {
    // Ctrl-C during a request ends the watch like Ctrl-C between events.
    if (!io.interrupt.aborted) throw error;
  }
  return EXIT_OK;
}

async function readAllWorkloads(
  client: ClusterClient,
  canaries: readonly Canary[],
): Promise<ReadonlyMap<string, CanaryWorkloads>> {
  const entries = await Promise.all(
    canaries.map(async (canary) => {
      const key = `${canary.metadata.namespace}/${canary.metadata.name}`;
      return [key, await readCanaryWorkloads(client, canary)] as const;
    }),
  );
  return new Map(entries);
}
