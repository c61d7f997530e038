import { describe, it, expect } from '@jest/globals';
import { LoadJobs, parseLoadRequest } from './load-jobs.ts';

describe('parseLoadRequest', () => {
  it('accepts a complete request and defaults the source', () => {
    expect(parseLoadRequest({ namespace: 'test', service: 'backend-canary', rate: 20, durationSeconds: 60 })).toEqual({
      ok: true,
      request: {
        namespace: 'test',
        service: 'backend-canary',
        rate: 20,
        durationSeconds: 60,
        sourceWorkload: 'loadtester',
        sourceNamespace: 'test',
      },
    });
  });

  it('rejects missing or out-of-range fields with a reason', () => {
    const cases: unknown[] = [
      null,
      [],
      { service: 'a', rate: 1, durationSeconds: 1 },
      { namespace: 'Test', service: 'a', rate: 1, durationSeconds: 1 },
      { namespace: 't', service: 'a', rate: 0, durationSeconds: 1 },
      { namespace: 't', service: 'a', rate: '5', durationSeconds: 1 },
      { namespace: 't', service: 'a', rate: 1, durationSeconds: -1 },
      { namespace: 't', service: 'a', rate: 1e9, durationSeconds: 1 },
      { namespace: 't', service: 'a', rate: 1, durationSeconds: 1, sourceWorkload: '' },
    ];
    for (const body of cases) {
      const parsed = parseLoadRequest(body);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(0);
    }
  });
});

describe('LoadJobs', () => {
  it('runs jobs for their duration and bumps the revision on every change', () => {
    const jobs = new LoadJobs();
    const request = {
      namespace: 't',
      service: 's',
      rate: 1,
      durationSeconds: 10,
      sourceWorkload: 'lt',
      sourceNamespace: 't',
    };
    const first = jobs.add(request, 1_000);
    const second = jobs.add({ ...request, durationSeconds: 20 }, 2_000);
    expect(first).toMatchObject({ id: 'load-1', startedAtMs: 1_000, endsAtMs: 11_000 });
    expect(jobs.active(10_999).map((j) => j.id)).toEqual(['load-1', 'load-2']);
    const revision = jobs.revision;
    expect(jobs.active(11_000).map((j) => j.id)).toEqual(['load-2']);
    expect(jobs.revision).toBeGreaterThan(revision);
    expect(jobs.remove(second.id)).toBe(true);
    expect(jobs.remove(second.id)).toBe(false);
    expect(jobs.active(0)).toEqual([]);
  });
});
