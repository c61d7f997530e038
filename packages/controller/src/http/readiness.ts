/** One readiness condition, evaluated on every /readyz request. */
export interface ReadinessCheck {
  name: string;
  check(): { ready: boolean; message: string };
}

export interface ReadinessReport {
  ready: boolean;
  checks: Array<{ name: string; ready: boolean; message: string }>;
}

export function evaluateReadiness(checks: readonly ReadinessCheck[]): ReadinessReport {
  const results = checks.map((check) => {
    try {
      return { name: check.name, ...check.check() };
    } catch (error) {
      return { name: check.name, ready: false, message: `check failed: ${String(error)}` };
    }
  });
  return { ready: results.every((result) => result.ready), checks: results };
}

/** Ready once every informer has completed its first list: before that, the caches would show a partial world. */
export function informersSyncedCheck(informers: { hasSynced(): boolean; unsynced(): string[] }): ReadinessCheck {
  return {
    name: 'informers',
    check: () =>
      informers.hasSynced()
        ? { ready: true, message: 'all informers synced' }
        : { ready: false, message: `waiting for ${informers.unsynced().join(', ')}` },
  };
}

/**
 * Ready when leading, or when standing by with a recent view of the lease. A standby is ready on purpose: it is
 * healthy and able to take over, and an unready standby would stall rolling updates of the controller Deployment.
 */
export function leaderElectionCheck(elector: { health(): { healthy: boolean; message: string } }): ReadinessCheck {
  return {
    name: 'leader-election',
    check: () => {
      const health = elector.health();
      return { ready: health.healthy, message: health.message };
    },
  };
}
