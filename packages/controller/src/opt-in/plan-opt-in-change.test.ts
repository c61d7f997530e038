import { describe, expect, it } from '@jest/globals';
import { desiredOptInCanary, type WorkloadObject } from './desired-opt-in-canary.ts';
import { planOptInChange, type ExistingCanary } from './plan-opt-in-change.ts';

const workload = (annotations: Record<string, string>): WorkloadObject => ({
  metadata: { name: 'backend', namespace: 'webapp', uid: 'uid-backend', annotations },
  spec: { template: { spec: { containers: [{ ports: [{ containerPort: 9898 }] }] } } },
});
const enabled = { 'linnet.dev/canary': 'enabled' };

function generatedFor(annotations: Record<string, string>): ExistingCanary {
  const canary = desiredOptInCanary(workload(annotations), 'Deployment').canary;
  if (!canary) throw new Error('expected a Canary');
  // As read back: the server adds its own metadata and the status.
  return {
    ...canary,
    metadata: { ...canary.metadata, uid: 'uid-canary', resourceVersion: '7' },
    status: { phase: 'Initialized' },
  } as ExistingCanary;
}

const plan = (annotations: Record<string, string>, existing?: ExistingCanary) =>
  planOptInChange(desiredOptInCanary(workload(annotations), 'Deployment'), 'uid-backend', existing);

describe('planOptInChange', () => {
  it('creates the Canary of a newly opted-in workload', () => {
    expect(plan(enabled)).toMatchObject({ type: 'apply', reason: 'Created' });
  });

  it('leaves an up-to-date Canary alone', () => {
    expect(plan(enabled, generatedFor(enabled))).toEqual({ type: 'none' });
  });

  it('updates the Canary when an annotation changes', () => {
    const edited = { ...enabled, 'linnet.dev/interval': '30s' };
    const change = plan(edited, generatedFor(enabled));
    expect(change).toMatchObject({ type: 'apply', reason: 'Updated' });
    expect(change.type === 'apply' && change.canary.spec.analysis?.interval).toBe('30s');
  });

  it('deletes the generated Canary when the opt-in is removed', () => {
    expect(plan({}, generatedFor(enabled))).toEqual({
      type: 'delete',
      canary: { namespace: 'webapp', name: 'backend', uid: 'uid-canary' },
    });
    expect(plan({ 'linnet.dev/canary': 'disabled' }, generatedFor(enabled))).toMatchObject({ type: 'delete' });
  });

  it('deletes a generated Canary only once: one already being deleted is left to its finalizer', () => {
    const deleting = generatedFor(enabled);
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2026-12-05T02:00:00Z', finalizers: ['x'] };
    expect(plan({}, deleting)).toEqual({ type: 'none' });
  });

  it('keeps the existing Canary and warns when an annotation is malformed', () => {
    expect(plan({ ...enabled, 'linnet.dev/step-weight': 'ten' }, generatedFor(enabled))).toEqual({
      type: 'warn',
      reason: 'InvalidAnnotation',
      messages: ['linnet.dev/step-weight: must be an integer between 1 and 100 (got "ten")'],
    });
    expect(plan({ 'linnet.dev/canary': 'on' }, generatedFor(enabled))).toMatchObject({ type: 'warn' });
  });

  it('never touches a hand-written Canary of the same name', () => {
    const handWritten: ExistingCanary = {
      metadata: { name: 'backend', namespace: 'webapp', uid: 'uid-mine' },
      spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' } },
    };
    expect(plan(enabled, handWritten)).toMatchObject({ type: 'warn', reason: 'CanaryNameTaken' });
    expect(plan({}, handWritten)).toEqual({ type: 'none' });
  });

  it('does not delete a generated Canary that belongs to another workload of that name', () => {
    const other = generatedFor(enabled);
    const owners = other.metadata?.ownerReferences?.map((reference) => ({ ...reference, uid: 'uid-old' }));
    expect(plan({}, { ...other, metadata: { ...other.metadata, ownerReferences: owners } })).toEqual({ type: 'none' });
  });
});
