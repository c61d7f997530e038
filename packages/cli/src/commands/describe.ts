import { getCanary, listEventsAbout } from '../cluster/canary-resources.ts';
import { readCanaryWorkloads } from '../cluster/canary-workloads.ts';
import { canaryNameFrom } from '../cli-options.ts';
import type { CommandContext } from '../command-context.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { describeCanary } from '../views/describe-canary.ts';

/** `linnet describe canary <name> [-n ns]` */
export async function describeCommand(context: CommandContext): Promise<number> {
  const name = canaryNameFrom(context.args, 'describe');
  const namespace = context.namespace();
  const client = context.client();
  const canary = await getCanary(client, namespace, name);
  const uid = canary.metadata.uid;
  const [events, workloads] = await Promise.all([
    uid ? listEventsAbout(client, namespace, uid) : [],
    readCanaryWorkloads(client, canary),
  ]);
  context.io.stdout.write(describeCanary(canary, events, context.now(), workloads));
  return EXIT_OK;
}
