import { setTimeout as delay } from 'node:timers/promises';
import type { KubeAccess } from '../kube/kube-access.ts';
import { formatMicroTime } from '../kube/micro-time.ts';
import { createSilentLogger, describeError } from '../observability/logger.ts';
import type { Logger } from '../observability/logger.ts';
import { decideLeaseWrite } from './lease-decision.ts';
import { leaderRecordOf, leaseResourceType, leaseSpecOf, sameRecord } from './lease-record.ts';
import type { LeaderRecord, Lease } from './lease-record.ts';

export interface LeaderElectorOptions {
  access: KubeAccess;
  namespace: string;
  /** Default "linnet-leader-election". */
  leaseName?: string;
  /** Unique per replica, e.g. the pod name. */
  identity: string;
  /** How long a lease stays valid without renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** A leader that could not renew for this long steps down. Default 10 s. */
  renewDeadlineMs?: number;
  /** Interval between attempts (acquire and renew), jittered up to +20 % while acquiring. Default 2 s. */
  retryPeriodMs?: number;
  onStartedLeading?(): void;
  /** Called when leadership is lost or released; the elector then competes again unless stopped. */
  onStoppedLeading?(): void;
  /** Called whenever the observed holder changes (including to this replica). */
  onNewLeader?(identity: string): void;
  logger?: Logger;
  random?: () => number;
}

export interface ElectorHealth {
  healthy: boolean;
  message: string;
}

export interface LeaderElector {
  readonly identity: string;
  start(): void;
  /**
   * Stop competing. By default a leader releases the lease so a standby takes over at once; `release: false`
   * leaves it to expire, as a crashed process would.
   */
  stop(options?: { release?: boolean }): Promise<void>;
  isLeader(): boolean;
  /** The holder last observed, if any. */
  currentLeader(): string | undefined;
  /** Leading, or standing by with the lease observed recently (so the API server is reachable). */
  health(): ElectorHealth;
  /**
   * Why this replica can no longer trust that it holds the lease (not leading, or not renewed within the renew
   * deadline, e.g. after the process was frozen), or undefined while it can. The leader term asks it before every
   * write.
   */
  leaseProblem(): string | undefined;
}

export class LeaderElectionConfigError extends Error {
  readonly reason = 'InvalidLeaderElectionConfig';
  constructor(message: string) {
    super(message);
    this.name = 'LeaderElectionConfigError';
  }
}

const JITTER_FACTOR = 1.2;

/** Leader election on a coordination.k8s.io/v1 Lease, following client-go's protocol. */
export class LeaseLeaderElector implements LeaderElector {
  readonly identity: string;
  private readonly access: KubeAccess;
  private readonly namespace: string;
  private readonly leaseName: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly options: LeaderElectorOptions;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly leaseType = leaseResourceType;
  private stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private leading = false;
  private releaseOnStop = true;
  /** The lease as last read or written, with its resourceVersion for the next write. */
  private lastLease: Lease | undefined;
  private observedRecord: LeaderRecord | undefined;
  private observedAtMs = 0;
  private lastContactMs: number | undefined;
  private lastRenewMs = 0;
  /** The error of the last failed renewal while leading; cleared by the next successful one. */
  private renewFailure: { message: string; sinceMs: number } | undefined;
  private lastAttemptError: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.access = options.access;
    this.identity = options.identity;
    this.namespace = options.namespace;
    this.leaseName = options.leaseName ?? 'linnet-leader-election';
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.random = options.random ?? Math.random;
    this.logger = (options.logger ?? createSilentLogger()).child({ lease: `${this.namespace}/${this.leaseName}` });
    if (!this.identity) throw new LeaderElectionConfigError('leader election needs a non-empty identity');
    if (this.leaseDurationMs <= this.renewDeadlineMs) {
      throw new LeaderElectionConfigError('lease duration must be longer than the renew deadline');
    }
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) {
      throw new LeaderElectionConfigError('renew deadline must be longer than 1.2 × the retry period');
    }
  }

  start(): void {
    if (this.loop) return;
    this.stopController = new AbortController();
    this.releaseOnStop = true;
    this.loop = this.run();
  }

  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.releaseOnStop = options.release ?? true;
    this.stopController.abort();
    await this.loop;
    this.loop = undefined;
  }

  isLeader(): boolean {
    return this.leading;
  }

  currentLeader(): string | undefined {
    return this.observedRecord?.holderIdentity || undefined;
  }

  leaseProblem(): string | undefined {
    if (!this.leading) return 'not leading';
    const sinceMs = performance.now() - this.lastRenewMs;
    if (sinceMs >= this.renewDeadlineMs) {
      return `lease not renewed for ${Math.round(sinceMs / 1000)} s (renew deadline ${this.renewDeadlineMs / 1000} s)`;
    }
    return undefined;
  }

  health(): ElectorHealth {
    if (this.leading && this.renewFailure) {
      const seconds = Math.round((performance.now() - this.renewFailure.sinceMs) / 1000);
      return {
        healthy: false,
        message: `leading, but lease renewal failing for ${seconds} s: ${this.renewFailure.message}`,
      };
    }
    if (this.leading) return { healthy: true, message: 'leading' };
    if (this.lastContactMs === undefined) return { healthy: false, message: 'lease not observed yet' };
    const sinceMs = performance.now() - this.lastContactMs;
    const limitMs = Math.max(this.leaseDurationMs, 3 * this.retryPeriodMs);
    if (sinceMs > limitMs) {
      return { healthy: false, message: `lease not observed for ${Math.round(sinceMs / 1000)} s` };
    }
    return { healthy: true, message: `standing by (leader: ${this.currentLeader() ?? 'none'})` };
  }

  private async run(): Promise<void> {
    const stopSignal = this.stopController.signal;
    while (!stopSignal.aborted) {
      const acquired = await this.tryAcquireOrRenew(this.retryPeriodMs * JITTER_FACTOR);
      if (!acquired) {
        await this.sleep(this.retryPeriodMs * (1 + (JITTER_FACTOR - 1) * this.random()));
        continue;
      }
      this.becomeLeader();
      await this.renewWhileLeading();
      await this.stepDown();
    }
  }

  private async renewWhileLeading(): Promise<void> {
    const stopSignal = this.stopController.signal;
    while (!stopSignal.aborted) {
      await this.sleep(this.retryPeriodMs);
      if (stopSignal.aborted) return;
      // One attempt may use only what is left of the renew deadline, so a hung request cannot keep a stale leader.
      const remainingMs = this.lastRenewMs + this.renewDeadlineMs - performance.now();
      const renewed = remainingMs > 0 && (await this.tryAcquireOrRenew(remainingMs));
      if (renewed) {
        if (this.renewFailure) this.logger.info('lease renewed again after failures');
        this.renewFailure = undefined;
        continue;
      }
      if (stopSignal.aborted) return;
      const message = this.lastAttemptError ?? 'no time left before the renew deadline';
      this.renewFailure = { message, sinceMs: this.renewFailure?.sinceMs ?? performance.now() };
      this.logger.warn('lease renewal failed', {
        error: message,
        msSinceLastRenewal: Math.round(performance.now() - this.lastRenewMs),
        renewDeadlineMs: this.renewDeadlineMs,
      });
      if (this.observedRecord && this.observedRecord.holderIdentity !== this.identity) {
        this.logger.warn('lease taken over by another replica', { holder: this.observedRecord.holderIdentity });
        return;
      }
      if (performance.now() - this.lastRenewMs >= this.renewDeadlineMs) {
        this.logger.warn('failed to renew the lease within the renew deadline', {
          renewDeadlineMs: this.renewDeadlineMs,
        });
        return;
      }
    }
  }

  private becomeLeader(): void {
    this.leading = true;
    this.logger.info('became leader', { identity: this.identity });
    this.invoke('onStartedLeading', () => this.options.onStartedLeading?.());
  }

  private async stepDown(): Promise<void> {
    // Not leading from here on, so the leader term refuses writes before the lease is handed over.
    this.leading = false;
    this.renewFailure = undefined;
    if (this.stopController.signal.aborted && this.releaseOnStop) await this.release();
    this.logger.info('stopped leading', { identity: this.identity });
    this.invoke('onStoppedLeading', () => this.options.onStoppedLeading?.());
  }

  /** Hand the lease over at once: empty holder and a 1 s duration, as client-go does. */
  private async release(): Promise<void> {
    const lease = this.lastLease;
    if (!lease || this.observedRecord?.holderIdentity !== this.identity) return;
    const now = formatMicroTime(new Date());
    const record: LeaderRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: this.observedRecord.leaseTransitions,
    };
    try {
      await this.access.replace(
        this.leaseType,
        { ...lease, spec: leaseSpecOf(record) },
        { signal: AbortSignal.timeout(this.renewDeadlineMs) },
      );
      this.logger.info('released the lease');
    } catch (error) {
      this.logger.warn('could not release the lease; it will expire', describeError(error));
    }
  }

  /** One attempt; true when this replica holds the lease afterwards. */
  private async tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const signal = AbortSignal.any([
      this.stopController.signal,
      AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs))),
    ]);
    const locator = { namespace: this.namespace, name: this.leaseName };
    this.lastAttemptError = undefined;
    try {
      const lease = await this.access.get(this.leaseType, locator, { signal });
      this.lastContactMs = performance.now();
      const current = lease ? leaderRecordOf(lease) : undefined;
      if (current) this.observe(current);
      const decision = decideLeaseWrite({
        current,
        identity: this.identity,
        observedAtMs: this.observedAtMs,
        nowMs: performance.now(),
        nowMicroTime: formatMicroTime(new Date()),
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      });
      if (decision.kind === 'held-by-other') {
        this.lastAttemptError = `held by ${current?.holderIdentity ?? 'another replica'}`;
        return false;
      }
      const spec = leaseSpecOf(decision.record);
      const written = lease
        ? await this.access.replace(this.leaseType, { ...lease, spec }, { signal })
        : await this.access.create(this.leaseType, { metadata: { ...locator }, spec }, { signal });
      this.lastLease = written;
      this.lastRenewMs = performance.now();
      this.lastContactMs = this.lastRenewMs;
      this.observe(leaderRecordOf(written));
      return true;
    } catch (error) {
      // Conflict / AlreadyExists: another replica wrote first; anything else: the API is unreachable. Both mean
      // "not leader this round"; the renew deadline decides when a leader gives up.
      this.lastAttemptError = describeError(error).error;
      if (!this.stopController.signal.aborted) this.logger.debug('lease attempt failed', describeError(error));
      return false;
    }
  }

  private observe(record: LeaderRecord): void {
    if (this.observedRecord && sameRecord(this.observedRecord, record)) return;
    const previousHolder = this.observedRecord?.holderIdentity;
    this.observedRecord = record;
    this.observedAtMs = performance.now();
    if (record.holderIdentity && record.holderIdentity !== previousHolder) {
      this.invoke('onNewLeader', () => this.options.onNewLeader?.(record.holderIdentity));
    }
  }

  private async sleep(ms: number): Promise<void> {
    await delay(Math.ceil(ms), undefined, { signal: this.stopController.signal }).catch(() => undefined);
  }

  private invoke(callback: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error('leader election callback threw', { callback, ...describeError(error) });
    }
  }
}
