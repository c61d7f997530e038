// One leader term: from becoming leader to losing (or releasing) the Lease. Everything the leader starts in a term
// is bound to it: its signal cancels running checks and requests, and every Kubernetes write asks the term first.

/** Thrown instead of a Kubernetes write once the term has ended: another replica may be leading now. */
export class LeadershipLostError extends Error {
  readonly reason = 'LeadershipLost';
  constructor(message: string) {
    super(message);
    this.name = 'LeadershipLostError';
  }
}

export class LeadershipTerm {
  private readonly controller = new AbortController();
  private readonly leaseProblem: () => string | undefined;

  /**
   * `leaseProblem` says why the lease can no longer be trusted (e.g. not renewed within the renew deadline), or
   * undefined while it can. It is asked on every write, so a process resumed after a freeze ends its term before its
   * elector has even run.
   */
  constructor(leaseProblem: () => string | undefined = () => undefined) {
    this.leaseProblem = leaseProblem;
  }

  /** Aborted when the term ends; the reason is a LeadershipLostError. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  end(why: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new LeadershipLostError(`leadership ended: ${why}`));
  }

  /** Throws LeadershipLostError when the term has ended or its lease can no longer be trusted (ending it). */
  assertActive(): void {
    if (!this.controller.signal.aborted) {
      const problem = this.leaseProblem();
      if (problem !== undefined) this.end(problem);
    }
    if (this.controller.signal.aborted) throw this.controller.signal.reason as LeadershipLostError;
  }
}
