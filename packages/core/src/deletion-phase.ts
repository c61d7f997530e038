// Deletion of a Canary (reference §3.7): revertOnDeletion's Terminating → Terminated, and the finalizer.
import type { DecisionBuilder } from './decision-builder.ts';
import type { Decision } from './decision.ts';
import { messages } from './messages.ts';

export function decideDeletion(b: DecisionBuilder): Decision {
  const { ctx } = b;
  const { deletion, canaryReadiness } = ctx.observation;
  if (!deletion.finalizerPresent) {
    return b.note('Deleting', `${ctx.names.canary} is being deleted`).finish({ correctRoutes: false });
  }
  if (!ctx.spec.revertOnDeletion || b.phase === 'Terminated') {
    // Terminated was written by the previous decision; only now may the object go.
    return b
      .action({ type: 'removeFinalizer' })
      .explain('FinalizerRemoved', `Removing the finalizer of ${ctx.names.canary}`)
      .finish({ correctRoutes: false });
  }
  if (b.phase !== 'Terminating') {
    const message = messages.terminating(ctx.names);
    return b
      .enterPhase('Terminating')
      .clearSchedule()
      .event('Normal', 'Terminating', message)
      .action({ type: 'resumeTargetScaler' })
      .action({ type: 'scaleTargetUp', replicas: 'matchPrimary' })
      .explain('Terminating', `${message}: scaling ${ctx.names.target} back up before restoring its routing`)
      .requeueAfter(ctx.timings.readinessPollMs)
      .finish({ correctRoutes: false });
  }
  if (canaryReadiness.state !== 'ready') {
    const failed = canaryReadiness.state === 'failed';
    const reason = failed ? 'TargetFailed' : 'TargetNotReady';
    return b
      .eventOnce(failed ? 'Warning' : 'Normal', reason, canaryReadiness.message)
      .explain(reason, canaryReadiness.message)
      .requeueAfter(ctx.timings.readinessPollMs)
      .finish({ correctRoutes: false });
  }
  const message = messages.terminated(ctx.names);
  return b
    .action({ type: 'revertRouting' })
    .enterPhase('Terminated')
    .event('Normal', 'Terminated', message)
    .explain('Terminated', message)
    .requeueAfter(0)
    .finish({ correctRoutes: false });
}
