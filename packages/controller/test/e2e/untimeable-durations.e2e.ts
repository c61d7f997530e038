// Durations that cannot be timed (issue 9): a 10-year interval, an interval beyond any number, a webhook timeout of 25
// days with 50 retries, and a 0s webhook timeout. The API server accepts them all (the CRD pattern only checks the
// start of a duration); Linnet refuses each with its field path and the largest duration in a status condition and a
// Warning event, and never starts a run for them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  applyObjects,
  getCanary,
  getDeployment,
  listCanaryEvents,
  startE2eSuite,
  SuiteTeardown,
  waitUntil,
} from './support/index.ts';
import { PROMOTION_PHASES, scenarioCanary, scenarioDeployment } from './support/scenario-canaries.ts';
import { describeEvents } from './support/scenario-probes.ts';

const MAX_DURATION = '596h31m23.647s';
const teardown = new SuiteTeardown();
let access: KubeAccess;
let namespace: string;

beforeAll(async () => {
  ({ access, namespace } = await startE2eSuite(teardown, 'e2e-durations', { label: 'durations' }));
}, 120_000);

afterAll(() => teardown.run(), 60_000);

/** Waits until the Canary carries a condition and a Warning event whose messages contain every text of `texts`. */
async function waitForReport(name: string, texts: readonly string[]): Promise<void> {
  await waitUntil(
    `${namespace}/${name} to report ${texts.join(' and ')}`,
    async () => {
      const canary = await getCanary(access, namespace, name);
      const events = await listCanaryEvents(access, namespace, name);
      const mentionsAll = (message: string | undefined): boolean => texts.every((text) => message?.includes(text));
      const condition = canary.status?.conditions?.some((candidate) => mentionsAll(candidate.message));
      const event = events.some((candidate) => candidate.type === 'Warning' && mentionsAll(candidate.message));
      return condition && event
        ? { done: true, value: undefined }
        : {
            done: false,
            seen: `conditions ${JSON.stringify(canary.status?.conditions ?? [])}; events:\n${describeEvents(events)}`,
          };
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

describe('durations that cannot be timed', () => {
  it('are refused with their path and the largest duration, and no run starts', async () => {
    const schedule = { threshold: 2, stepWeight: 50, maxWeight: 50 };
    const hook = { name: 'gate', type: 'rollout' as const, url: 'http://127.0.0.1:1/never' };
    const cases = [
      { name: 'decade', analysis: { ...schedule, interval: '5256000m' } },
      { name: 'beyond', analysis: { ...schedule, interval: '99999999999999999999m' } },
      {
        name: 'long-hook',
        analysis: { ...schedule, interval: '10s', webhooks: [{ ...hook, timeout: '36000m', retries: 50 }] },
      },
      { name: 'zero-hook', analysis: { ...schedule, interval: '10s', webhooks: [{ ...hook, timeout: '0s' }] } },
    ];
    await applyObjects(
      access,
      cases.flatMap(({ name, analysis }) => [
        scenarioDeployment({ namespace, name }),
        scenarioCanary({ namespace, name, analysis }),
      ]),
    );

    await waitForReport('decade', ['spec.analysis.interval', MAX_DURATION, '5256000m']);
    await waitForReport('beyond', ['spec.analysis.interval', MAX_DURATION, '99999999999999999999m']);
    await waitForReport('long-hook', ['spec.analysis.webhooks[0].timeout', MAX_DURATION]);
    await waitForReport('long-hook', ['spec.analysis.webhooks[0].retries', 'at most 10']);
    await waitForReport('zero-hook', ['spec.analysis.webhooks[0].timeout', 'longer than 0s']);

    for (const { name } of cases) {
      const canary = await getCanary(access, namespace, name);
      expect([...PROMOTION_PHASES, 'Progressing']).not.toContain(canary.status?.phase ?? '');
      expect(await getDeployment(access, namespace, `${name}-primary`)).toBeUndefined();
    }
  }, 180_000);
});
