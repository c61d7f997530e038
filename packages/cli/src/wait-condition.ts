import { CANARY_PHASES, type Canary, type CanaryPhase } from '@linnet/api';
import { CliError } from './exit-codes.ts';

// `linnet wait --for=...`: a phase (Succeeded, phase=Promoting) or a condition (condition=Promoted,
// condition=Promoted=False), matched case-insensitively as kubectl does.

export type WaitTarget =
  { kind: 'phase'; phase: CanaryPhase } | { kind: 'condition'; type: string; status: 'True' | 'False' | 'Unknown' };

export type WaitState = { kind: 'reached'; detail: string } | { kind: 'failed'; detail: string } | { kind: 'pending' };

const NAMED_PHASES = CANARY_PHASES.filter((phase) => phase !== '');

function parsePhase(text: string): CanaryPhase {
  const phase = NAMED_PHASES.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (!phase) throw new CliError(`--for: unknown phase "${text}" (one of ${NAMED_PHASES.join(', ')})`);
  return phase;
}

function parseConditionStatus(text: string): 'True' | 'False' | 'Unknown' {
  const status = (['True', 'False', 'Unknown'] as const).find((value) => value.toLowerCase() === text.toLowerCase());
  if (!status) throw new CliError(`--for: a condition status is True, False or Unknown (got "${text}")`);
  return status;
}

export function parseWaitTarget(text: string | undefined): WaitTarget {
  if (!text) throw new CliError('wait needs --for=<phase> or --for=condition=<type>[=<status>]');
  const [key = '', ...rest] = text.split('=');
  if (key.toLowerCase() === 'condition') {
    const [type, status] = rest;
    if (!type || rest.length > 2) throw new CliError(`--for: expected condition=<type>[=<status>] (got "${text}")`);
    return { kind: 'condition', type, status: status === undefined ? 'True' : parseConditionStatus(status) };
  }
  if (key.toLowerCase() === 'phase') {
    if (rest.length !== 1 || !rest[0]) throw new CliError(`--for: expected phase=<phase> (got "${text}")`);
    return { kind: 'phase', phase: parsePhase(rest[0]) };
  }
  if (rest.length > 0) throw new CliError(`--for: expected <phase>, phase=<phase> or condition=<type> (got "${text}")`);
  return { kind: 'phase', phase: parsePhase(key) };
}

export function describeWaitTarget(target: WaitTarget): string {
  return target.kind === 'phase' ? `phase ${target.phase}` : `condition ${target.type}=${target.status}`;
}

function failureDetail(canary: Canary): string {
  const status = canary.status;
  const promoted = status?.conditions?.find((condition) => condition.type === 'Promoted');
  return status?.lastDecision?.message || promoted?.message || 'the canary was rolled back';
}

/** Whether the Canary has reached the target, has failed instead, or neither yet. */
export function evaluateWait(canary: Canary, target: WaitTarget): WaitState {
  const phase = canary.status?.phase ?? '';
  if (target.kind === 'phase') {
    if (phase === target.phase) return { kind: 'reached', detail: `phase ${phase}` };
  } else {
    const condition = canary.status?.conditions?.find(
      (candidate) => candidate.type.toLowerCase() === target.type.toLowerCase(),
    );
    if (condition?.status === target.status) {
      return { kind: 'reached', detail: `condition ${condition.type}=${condition.status} (${condition.reason})` };
    }
  }
  if (phase === 'Failed') return { kind: 'failed', detail: failureDetail(canary) };
  return { kind: 'pending' };
}
