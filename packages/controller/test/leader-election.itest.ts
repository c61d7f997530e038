// Leader election between replicas on a real Lease.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpsTransport, RestKubeAccess, createKubeAccess, formatMicroTime, resourceTypes } from '../src/kube/index.ts';
import type { KubeAccess } from '../src/kube/index.ts';
import { LeaseLeaderElector, leaseResourceType } from '../src/leader/index.ts';
import type { LeaderElectorOptions } from '../src/leader/index.ts';
import { createLogger } from '../src/observability/index.ts';
import { PassThrough } from 'node:stream';

/** Poll `check` until it returns a value, or fail at the deadline. */
async function eventually<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(25);
  }
}

// Short timings keep the test quick; the protocol is the same as with the 15 s / 10 s / 2 s defaults.
const LEASE_MS = 3_000;
const RENEW_DEADLINE_MS = 2_000;
const RETRY_MS = 400;

/**
 * The real KubeAccess, or, while `partitioned`, one aimed at a closed loopback port: every call then fails with a
 * real connection error, as during a network partition.
 */
class PartitionableAccess implements KubeAccess {
  partitioned = false;
  private readonly real: KubeAccess;
  private readonly unreachable: KubeAccess;
  constructor(real: KubeAccess) {
    this.real = real;
    this.unreachable = new RestKubeAccess(
      new HttpsTransport({ server: 'https://127.0.0.1:1', insecureSkipTlsVerify: true }),
    );
  }
  private get target(): KubeAccess {
    return this.partitioned ? this.unreachable : this.real;
  }
  get: KubeAccess['get'] = (type, locator, options) => this.target.get(type, locator, options);
  list: KubeAccess['list'] = (type, options) => this.target.list(type, options);
  watch: KubeAccess['watch'] = (type, options) => this.target.watch(type, options);
  create: KubeAccess['create'] = (type, object, options) => this.target.create(type, object, options);
  apply: KubeAccess['apply'] = (type, object, options) => this.target.apply(type, object, options);
  replace: KubeAccess['replace'] = (type, object, options) => this.target.replace(type, object, options);
  replaceStatus: KubeAccess['replaceStatus'] = (type, object, options) =>
    this.target.replaceStatus(type, object, options);
  mergePatch: KubeAccess['mergePatch'] = (type, locator, patch, options) =>
    this.target.mergePatch(type, locator, patch, options);
  delete: KubeAccess['delete'] = (type, locator, options) => this.target.delete(type, locator, options);
}

let access: KubeAccess;
const namespace = `itest-leader-${process.pid}-${Date.now().toString(36)}`;
const electors: LeaseLeaderElector[] = [];

interface Replica {
  elector: LeaseLeaderElector;
  transitions: string[];
}

function replica(identity: string, overrides: Partial<LeaderElectorOptions> = {}): Replica {
  const transitions: string[] = [];
  const elector = new LeaseLeaderElector({
    access,
    namespace,
    leaseName: 'linnet-leader-election',
    identity,
    leaseDurationMs: LEASE_MS,
    renewDeadlineMs: RENEW_DEADLINE_MS,
    retryPeriodMs: RETRY_MS,
    onStartedLeading: () => transitions.push('started'),
    onStoppedLeading: () => transitions.push('stopped'),
    ...overrides,
  });
  electors.push(elector);
  return { elector, transitions };
}

const isLeader = (r: Replica): true | undefined => (r.elector.isLeader() ? true : undefined);

/** Starts replica-a, waits until it leads, then starts replica-b and waits until b has observed a's lease. */
async function leaderAndStandby(): Promise<{ a: Replica; b: Replica }> {
  const a = replica('replica-a');
  const b = replica('replica-b');
  a.elector.start();
  await eventually('replica-a to lead', () => isLeader(a), 10_000);
  b.elector.start();
  // b must observe a's lease before it can be judged standing by.
  await eventually(
    'replica-b to see the leader',
    () => (b.elector.currentLeader() === 'replica-a' ? true : undefined),
    10_000,
  );
  return { a, b };
}

beforeAll(async () => {
  access = createKubeAccess();
  await access.create(resourceTypes.namespace, { metadata: { name: namespace } });
});

afterEach(async () => {
  await Promise.all(electors.splice(0).map((elector) => elector.stop()));
  await access.delete(resourceTypes.lease, { namespace, name: 'linnet-leader-election' });
});

afterAll(async () => {
  await access?.delete(resourceTypes.namespace, { name: namespace });
});

describe('LeaseLeaderElector on the real API server', () => {
  it('elects exactly one of two replicas; the other takes over within the lease duration when the leader dies', async () => {
    const { a, b } = await leaderAndStandby();
    expect(b.elector.isLeader()).toBe(false);
    expect(b.elector.health()).toEqual({ healthy: true, message: 'standing by (leader: replica-a)' });
    expect(a.elector.health().message).toBe('leading');

    const lease = await access.get(leaseResourceType, { namespace, name: 'linnet-leader-election' });
    expect(lease?.spec).toMatchObject({ holderIdentity: 'replica-a', leaseDurationSeconds: 3, leaseTransitions: 0 });

    // A crash: replica-a stops renewing without releasing the lease.
    const killedAt = Date.now();
    await a.elector.stop({ release: false });
    await eventually('replica-b to take over', () => isLeader(b), LEASE_MS + 2 * RETRY_MS + 2_000);
    const takeoverMs = Date.now() - killedAt;
    // Not before the lease expired (b judges expiry by its own clock from when it last saw a renewal)...
    expect(takeoverMs).toBeGreaterThanOrEqual(LEASE_MS - 2 * RETRY_MS);
    const taken = await access.get(leaseResourceType, { namespace, name: 'linnet-leader-election' });
    expect(taken?.spec).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: 1 });
    expect(a.transitions).toEqual(['started', 'stopped']);
    expect(b.transitions).toEqual(['started']);
  });

  it('hands over at once when the leader shuts down gracefully (releases the lease)', async () => {
    const { a, b } = await leaderAndStandby();
    const releasedAt = Date.now();
    await a.elector.stop();
    await eventually('replica-b to take over', () => isLeader(b), LEASE_MS);
    // A released lease is taken on the next retry, well before the lease would have expired.
    expect(Date.now() - releasedAt).toBeLessThan(LEASE_MS);
  });

  it('steps down as soon as the lease names another holder, and never has two leaders', async () => {
    const a = replica('replica-a');
    const b = replica('replica-b');
    a.elector.start();
    await eventually('replica-a to lead', () => isLeader(a), 10_000);
    b.elector.start();
    // Someone else (an operator, a stuck old replica) takes the lease by force.
    let overlap = false;
    const watchOverlap = setInterval(() => {
      if (a.elector.isLeader() && b.elector.isLeader()) overlap = true;
    }, 10);
    try {
      const lease = await access.get(leaseResourceType, { namespace, name: 'linnet-leader-election' });
      if (!lease) throw new Error('lease missing');
      await access.replace(leaseResourceType, {
        ...lease,
        spec: { ...lease.spec, holderIdentity: 'intruder', renewTime: formatMicroTime(new Date()) },
      });
      await eventually(
        'replica-a to step down',
        () => (a.elector.isLeader() ? undefined : true),
        RENEW_DEADLINE_MS + 2_000,
      );
      expect(a.transitions).toEqual(['started', 'stopped']);
      // Once the intruder's lease expires, one of the replicas leads again.
      await eventually(
        'a new leader',
        () => (a.elector.isLeader() || b.elector.isLeader() ? true : undefined),
        2 * LEASE_MS + 2_000,
      );
    } finally {
      clearInterval(watchOverlap);
    }
    expect(overlap).toBe(false);
  });
  it('steps down when the API server is unreachable for the renew deadline, before a standby can take over', async () => {
    const partitionable = new PartitionableAccess(access);
    const a = replica('replica-a', { access: partitionable });
    const b = replica('replica-b');
    a.elector.start();
    await eventually('replica-a to lead', () => isLeader(a), 10_000);
    b.elector.start();
    await eventually(
      'replica-b to see the leader',
      () => (b.elector.currentLeader() === 'replica-a' ? true : undefined),
      10_000,
    );
    let overlap = false;
    const watchOverlap = setInterval(() => {
      if (a.elector.isLeader() && b.elector.isLeader()) overlap = true;
    }, 10);
    try {
      const partitionedAt = Date.now();
      partitionable.partitioned = true;
      await eventually('replica-a to step down', () => (a.elector.isLeader() ? undefined : true), LEASE_MS);
      // It gave up after the renew deadline, not before (give or take one retry period)...
      expect(Date.now() - partitionedAt).toBeGreaterThanOrEqual(RENEW_DEADLINE_MS - RETRY_MS);
      // ...and the standby took over only after the lease expired.
      await eventually('replica-b to take over', () => isLeader(b), LEASE_MS + 2 * RETRY_MS + 2_000);
      // The partitioned replica turns unready once it has not seen the lease for a lease duration.
      await eventually(
        'replica-a to report unhealthy',
        () => (a.elector.health().healthy ? undefined : true),
        LEASE_MS,
      );
      expect(a.elector.health().message).toMatch(/^lease not observed for \d+ s$/);
    } finally {
      clearInterval(watchOverlap);
    }
    expect(overlap).toBe(false);
  });
  it('while leading, reports failing renewals at warn and in its health, and distrusts the lease at the renew deadline', async () => {
    const partitionable = new PartitionableAccess(access);
    const stream = new PassThrough();
    const lines: Array<{ level: string; message: string; error?: string }> = [];
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    });
    const a = replica('replica-a', { access: partitionable, logger: createLogger({ level: 'info', stream }) });
    a.elector.start();
    await eventually('replica-a to lead', () => isLeader(a), 10_000);
    expect(a.elector.leaseProblem()).toBeUndefined();

    partitionable.partitioned = true;
    const warned = await eventually(
      'a warning about the failed renewal',
      () => lines.find((line) => line.level === 'warn' && line.message === 'lease renewal failed'),
      RENEW_DEADLINE_MS,
    );
    expect(warned.error).toMatch(/leases\/linnet-leader-election: connect ECONNREFUSED/);
    // Still leading (the renew deadline has not passed), but /readyz says why it is in trouble.
    expect(a.elector.isLeader()).toBe(true);
    expect(a.elector.health()).toMatchObject({ healthy: false });
    expect(a.elector.health().message).toMatch(/^leading, but lease renewal failing for \d+ s: .*ECONNREFUSED/);
    await eventually('the lease to be distrusted', () => a.elector.leaseProblem(), RENEW_DEADLINE_MS + RETRY_MS);
    expect(a.elector.leaseProblem()).toMatch(/not renewed for \d+ s \(renew deadline 2 s\)|not leading/);
  });
});
