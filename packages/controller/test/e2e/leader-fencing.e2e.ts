// Leadership fences every write (issue 9). Two replicas under leader election; the leader is frozen (SIGSTOP) past
// its lease while a check of a run is in flight. The standby takes over and finishes the run; when the old leader
// resumes, its check answers and its reconciles carry on, but it sends no Kubernetes write after its term:
// linnet_kube_writes_total of the old replica is where it was before the freeze, and the run's result stands.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../../src/kube/index.ts';
import { leaseResourceType } from '../../src/leader/index.ts';
import {
  createSuiteNamespace,
  readVirtualServiceRoutes,
  SEED_IMAGE_V2,
  startSuiteController,
  SuiteTeardown,
  testKubeAccess,
  waitUntil,
  type ControllerProcess,
} from './support/index.ts';
import {
  createInitializedCanary,
  explainCanary,
  scenarioCanary,
  startRun,
  withContext,
} from './support/scenario-canaries.ts';
import { parsePrometheusText, sumSamples } from './support/scenario-probes.ts';
import { startHeldWebhook, type HeldWebhook } from './support/stalling-servers.ts';

const LEASE_NAME = 'linnet-leader-election';
const teardown = new SuiteTeardown();

let access: KubeAccess;
let namespace: string;
let gate: HeldWebhook;

beforeAll(async () => {
  access = testKubeAccess();
  namespace = await createSuiteNamespace(teardown, access, 'e2e-fencing');
  gate = await startHeldWebhook();
  teardown.defer(() => gate.close());
}, 60_000);

afterAll(() => teardown.run(), 60_000);

/** A replica with short lease timings (4 s lease, 3 s renew deadline), so a freeze outlives its lease quickly. */
function startReplica(identity: string): Promise<ControllerProcess> {
  return startSuiteController(teardown, {
    namespace,
    label: `fencing-${identity}`,
    env: { POD_NAME: identity },
    extraFlags: [
      '-enable-leader-election',
      '-leader-election-lease-duration=4s',
      '-leader-election-renew-deadline=3s',
      '-leader-election-retry-period=500ms',
    ],
  });
}

async function kubeWrites(replica: ControllerProcess): Promise<number> {
  return sumSamples(parsePrometheusText(await replica.metrics()), 'linnet_kube_writes_total');
}

async function leaseHolder(): Promise<string> {
  const lease = await access.get(leaseResourceType, { namespace, name: LEASE_NAME });
  return lease?.spec?.holderIdentity ?? '';
}

describe('leadership fences every write', () => {
  it('a leader frozen mid-check past its lease makes no write after its term; the standby finishes the run', async () => {
    const old = await startReplica('replica-a');
    await old.waitForMetric('linnet_leader 1', { timeoutMs: 30_000 });
    const standby = await startReplica('replica-b');
    let frozen = false;
    teardown.defer(async () => {
      if (frozen) process.kill(old.pid, 'SIGCONT');
    });

    const canary = await createInitializedCanary(
      access,
      scenarioCanary({
        namespace,
        name: 'fenced',
        analysis: {
          interval: '2s',
          threshold: 2,
          stepWeight: 50,
          maxWeight: 50,
          webhooks: [{ name: 'gate', type: 'rollout', url: `${gate.url}/rollout`, timeout: '60s' }],
        },
      }),
    );
    teardown.defer(() => canary.recorder.stop());
    const explain = async (): Promise<string> =>
      `${await explainCanary(access, canary)}\nold replica (${old.logFile}):\n${old.tail(20)}\n` +
      `standby (${standby.logFile}):\n${standby.tail(20)}`;

    await withContext(explain, async () => {
      await startRun(access, canary, SEED_IMAGE_V2);
      await waitUntil(
        "the leader's rollout check to be in flight",
        () => (gate.requests() > 0 ? { done: true, value: undefined } : { done: false, seen: 'no call yet' }),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // The leader wrote (it initialized the Canary and started the run); the count must stay where it is now.
      const writesBeforeFreeze = await kubeWrites(old);
      expect(writesBeforeFreeze).toBeGreaterThan(0);
      process.kill(old.pid, 'SIGSTOP');
      frozen = true;

      await waitUntil(
        'the standby to hold the lease',
        async () => {
          const holder = await leaseHolder();
          return holder === 'replica-b' ? { done: true, value: undefined } : { done: false, seen: holder };
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      // Both replicas' calls are answered now: the old one's answer waits in its socket until it resumes.
      gate.release();
      await canary.recorder.waitFor('the standby to finish the run', (row) => row.status === 'Succeeded', {
        timeoutMs: 90_000,
      });

      process.kill(old.pid, 'SIGCONT');
      frozen = false;
      await old.waitForLog('the old replica to stop leading', (line) => line.message === 'workers stopped', {
        timeoutMs: 30_000,
      });
      expect(await kubeWrites(old)).toBe(writesBeforeFreeze);
      expect(await kubeWrites(standby)).toBeGreaterThan(0);
      expect(await leaseHolder()).toBe('replica-b');
      // The run's result stands: all traffic on the primary, the Canary Succeeded.
      const routes = await readVirtualServiceRoutes(access, namespace, 'fenced');
      expect(routes).toMatchObject({ primaryWeight: 100, canaryWeight: 0 });
      expect(canary.recorder.latest()?.status?.phase).toBe('Succeeded');
    });
  }, 240_000);
});
