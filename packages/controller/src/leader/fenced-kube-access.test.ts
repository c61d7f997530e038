import { describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../kube/index.ts';
import { resourceTypes } from '../kube/index.ts';
import { fencedKubeAccess } from './fenced-kube-access.ts';
import { LeadershipLostError, LeadershipTerm } from './leadership-term.ts';

/** A KubeAccess that records the writes that reach it and the signal each carried. */
function recordingAccess() {
  const writes: Array<{ verb: string; signal: AbortSignal | undefined }> = [];
  const record =
    (verb: string) =>
    async (...args: unknown[]) => {
      const options = args.findLast((arg) => typeof arg === 'object' && arg !== null && 'signal' in arg) as
        { signal?: AbortSignal } | undefined;
      writes.push({ verb, signal: options?.signal });
      return { metadata: { name: 'x' } };
    };
  const access = {
    get: async () => undefined,
    list: async () => ({ items: [], resourceVersion: '1' }),
    watch: () => ({ [Symbol.asyncIterator]: async function* () {} }),
    create: record('create'),
    apply: record('apply'),
    replace: record('replace'),
    replaceStatus: record('replaceStatus'),
    mergePatch: record('mergePatch'),
    delete: record('delete'),
  } as unknown as KubeAccess;
  return { access, writes };
}

const canaryType = resourceTypes.canary;
const canary = { metadata: { name: 'podinfo', namespace: 'apps', resourceVersion: '1' } };

describe('fencedKubeAccess', () => {
  function setUp(leaseProblem: () => string | undefined = () => undefined) {
    const { access, writes } = recordingAccess();
    const counted: string[] = [];
    const refused: string[] = [];
    let term: LeadershipTerm | undefined = new LeadershipTerm(leaseProblem);
    const fenced = fencedKubeAccess(access, () => term, {
      onWrite: (verb, resource) => counted.push(`${verb} ${resource}`),
      onRefused: (verb, resource) => refused.push(`${verb} ${resource}`),
    });
    return { fenced, writes, counted, refused, term: () => term, setTerm: (next?: LeadershipTerm) => (term = next) };
  }

  it('sends writes inside an active term with the term signal, and counts them', async () => {
    const { fenced, writes, counted, term } = setUp();
    await fenced.replaceStatus(canaryType, canary);
    await fenced.mergePatch(canaryType, { namespace: 'apps', name: 'podinfo' }, { metadata: {} });
    expect(writes.map((write) => write.verb)).toEqual(['replaceStatus', 'mergePatch']);
    expect(counted).toEqual(['replaceStatus canaries.flagger.app', 'mergePatch canaries.flagger.app']);
    term()?.end('lost the lease');
    expect(writes[0]?.signal?.aborted).toBe(true);
  });

  it('refuses every write after the term ended, and when not leading at all', async () => {
    const { fenced, writes, refused, term, setTerm } = setUp();
    term()?.end('lost the lease');
    await expect(fenced.apply(canaryType, canary)).rejects.toThrow(LeadershipLostError);
    await expect(fenced.delete(canaryType, { namespace: 'apps', name: 'podinfo' })).rejects.toThrow(
      /leadership ended: lost the lease/,
    );
    setTerm(undefined);
    await expect(fenced.create(canaryType, canary)).rejects.toThrow(/not leading/);
    expect(writes).toEqual([]);
    expect(refused).toEqual([
      'apply canaries.flagger.app',
      'delete canaries.flagger.app',
      'create canaries.flagger.app',
    ]);
  });

  it('ends the term when the lease can no longer be trusted, before the elector notices (a frozen process)', async () => {
    let problem: string | undefined;
    const { fenced, writes, term } = setUp(() => problem);
    await fenced.replace(canaryType, canary);
    problem = 'lease not renewed for 12 s (renew deadline 10 s)';
    await expect(fenced.replace(canaryType, canary)).rejects.toThrow(/not renewed for 12 s/);
    expect(term()?.signal.aborted).toBe(true);
    problem = undefined; // a term never comes back: the next one is a new term
    await expect(fenced.replace(canaryType, canary)).rejects.toThrow(LeadershipLostError);
    expect(writes).toHaveLength(1);
  });

  it('leaves reads alone', async () => {
    const { fenced, setTerm } = setUp();
    setTerm(undefined);
    await expect(fenced.get(canaryType, { namespace: 'apps', name: 'podinfo' })).resolves.toBeUndefined();
  });
});
