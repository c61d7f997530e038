import { describe, expect, it } from '@jest/globals';
import { validateCanary } from '@linnet/api';
import { desiredOptInCanary, type WorkloadObject } from './desired-opt-in-canary.ts';

function deployment(annotations: Record<string, string>, extra: Partial<WorkloadObject['metadata']> = {}) {
  return {
    metadata: { name: 'backend', namespace: 'webapp', uid: 'uid-backend', annotations, ...extra },
    spec: { template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 9898 }] }] } } },
  } satisfies WorkloadObject;
}

describe('desiredOptInCanary', () => {
  it('generates a Canary named after the workload, owned by it and labelled as generated', () => {
    const decision = desiredOptInCanary(deployment({ 'linnet.dev/canary': 'enabled' }), 'Deployment');
    expect(decision.problems).toEqual([]);
    expect(decision.optedIn).toBe(true);
    expect(decision.canary?.metadata).toEqual({
      name: 'backend',
      namespace: 'webapp',
      labels: { 'linnet.dev/managed-by-annotations': 'true' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'backend',
          uid: 'uid-backend',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(decision.canary?.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' });
    expect(decision.canary?.spec.service).toEqual({ port: 9898 });
    expect(validateCanary(decision.canary)).toEqual([]);
  });

  it('takes the kind from the object when the caller does not give it', () => {
    const daemonSet = { ...deployment({ 'linnet.dev/canary': 'enabled' }), apiVersion: 'apps/v1', kind: 'DaemonSet' };
    const decision = desiredOptInCanary(daemonSet);
    expect(decision.canary?.spec.targetRef.kind).toBe('DaemonSet');
    expect(decision.canary?.metadata.ownerReferences[0]?.kind).toBe('DaemonSet');
    expect(desiredOptInCanary(deployment({ 'linnet.dev/canary': 'enabled' }))).toEqual({
      problems: [],
      optedIn: false,
    });
  });

  it('follows annotation edits', () => {
    const decision = desiredOptInCanary(
      deployment({ 'linnet.dev/canary': 'enabled', 'linnet.dev/step-weight': '25', 'linnet.dev/max-weight': '75' }),
      'Deployment',
    );
    expect(decision.canary?.spec.analysis).toMatchObject({ stepWeight: 25, maxWeight: 75 });
  });

  it('returns no Canary when not opted in', () => {
    expect(desiredOptInCanary(deployment({}), 'Deployment')).toEqual({ problems: [], optedIn: false });
    expect(desiredOptInCanary(deployment({ 'linnet.dev/canary': 'disabled' }), 'Deployment')).toEqual({
      problems: [],
      optedIn: false,
    });
  });

  it('returns the problems, and no Canary, for a malformed annotation', () => {
    const decision = desiredOptInCanary(
      deployment({ 'linnet.dev/canary': 'enabled', 'linnet.dev/step-weight': 'ten' }),
      'Deployment',
    );
    expect(decision).toEqual({
      optedIn: true,
      problems: [{ annotation: 'linnet.dev/step-weight', message: 'must be an integer between 1 and 100 (got "ten")' }],
    });
  });

  it("ignores the primary copy Linnet generates, which carries the target's annotations", () => {
    const primary = deployment(
      { 'linnet.dev/canary': 'enabled' },
      {
        name: 'backend-primary',
        ownerReferences: [
          { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'backend', uid: 'uid-canary', controller: true },
        ],
      },
    );
    expect(desiredOptInCanary(primary, 'Deployment')).toEqual({ problems: [], optedIn: false });
  });

  it('reports the private test loader the load test needs', () => {
    const decision = desiredOptInCanary(
      deployment({ 'linnet.dev/canary': 'enabled', 'linnet.dev/load-test': 'hey -z 1m http://backend-canary:9898/' }),
      'Deployment',
    );
    expect(decision.privateTestLoader).toEqual({
      name: 'backend-testloader',
      namespace: 'webapp',
      url: 'http://backend-testloader.webapp:8080/',
    });
  });
});
