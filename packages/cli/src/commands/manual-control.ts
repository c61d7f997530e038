import { manualActionRequestPatch, suspendPatch, type Canary, type ManualAction } from '@linnet/api';
import { getCanary, mergePatchCanary } from '../cluster/canary-resources.ts';
import { canaryNameFrom } from '../cli-options.ts';
import type { CommandContext } from '../command-context.ts';
import { EXIT_OK } from '../exit-codes.ts';

// promote, abort and retry record a request on the Canary that the controller acts on once and then removes;
// pause and resume set spec.suspend. docs/cli.md describes the protocol.

/** The phases in which the controller acts on each request; in any other it discards the request. */
const ACTING_PHASES: Record<ManualAction, readonly string[]> = {
  promote: ['Progressing', 'Waiting', 'WaitingPromotion'],
  abort: ['Progressing', 'Waiting', 'WaitingPromotion'],
  retry: ['Failed'],
};

function phaseNote(canary: Canary, action: ManualAction): string | undefined {
  const phase = canary.status?.phase || 'Pending';
  if (ACTING_PHASES[action].includes(phase)) return undefined;
  return (
    `note: the canary is ${phase}; the controller acts on ${action} only when it is ` +
    `${ACTING_PHASES[action].join(', ')}, and discards the request otherwise`
  );
}

/** `linnet promote|abort|retry <name>` */
export async function requestActionCommand(context: CommandContext, action: ManualAction): Promise<number> {
  const name = canaryNameFrom(context.args, action);
  const namespace = context.namespace();
  const client = context.client();
  const canary = await getCanary(client, namespace, name);
  const requestedAt = context.now().toISOString();
  await mergePatchCanary(client, namespace, name, manualActionRequestPatch({ action, requestedAt }));
  context.io.stdout.write(`canary.flagger.app/${name} ${action} requested at ${requestedAt}\n`);
  if (canary.spec.suspend) {
    context.io.stderr.write(`note: the canary is paused; the request waits until linnet resume ${name}\n`);
  } else {
    const note = phaseNote(canary, action);
    if (note) context.io.stderr.write(`${note}\n`);
  }
  return EXIT_OK;
}

/** `linnet pause|resume <name>`: spec.suspend, which the controller honours on its next reconcile. */
export async function suspendCommand(context: CommandContext, suspend: boolean): Promise<number> {
  const verb = suspend ? 'pause' : 'resume';
  const name = canaryNameFrom(context.args, verb);
  const namespace = context.namespace();
  const client = context.client();
  const canary = await getCanary(client, namespace, name);
  const done = suspend ? 'paused' : 'resumed';
  if ((canary.spec.suspend ?? false) === suspend) {
    context.io.stdout.write(`canary.flagger.app/${name} already ${done}\n`);
    return EXIT_OK;
  }
  await mergePatchCanary(client, namespace, name, suspendPatch(suspend));
  context.io.stdout.write(`canary.flagger.app/${name} ${done}\n`);
  return EXIT_OK;
}
