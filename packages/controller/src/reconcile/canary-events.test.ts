import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { EventToRecord } from '../kube/index.ts';
import { createLogger } from '../observability/index.ts';
import type { WebhookClient } from '../webhooks/index.ts';
import { CanaryEventPublisher } from './canary-events.ts';
import type { CanaryResource } from './cluster-types.ts';

const canary: CanaryResource = {
  metadata: { name: 'backend', namespace: 'shop', uid: 'uid-1' },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' } },
} as CanaryResource;

const unusedWebhooks: WebhookClient = {
  call: () => Promise.reject(new Error('not used')),
  sendEvent: () => Promise.reject(new Error('not used')),
};

describe('CanaryEventPublisher', () => {
  it('publishes an identical event once when it repeats within 2 s, and again after', async () => {
    let now = new Date('2026-12-05T02:00:00Z');
    const recorded: EventToRecord[] = [];
    const publisher = new CanaryEventPublisher({
      recorder: { record: async (_object, event) => void recorded.push(event) },
      webhookClient: unusedWebhooks,
      globalEventWebhook: '',
      now: () => now,
    });
    const logger = createLogger({ level: 'error', stream: new PassThrough() });
    const deleted = { type: 'Normal' as const, reason: 'Terminating', message: 'Terminating canary backend.shop' };
    for (const ms of [0, 300, 900, 1_500]) {
      now = new Date(Date.parse('2026-12-05T02:00:00Z') + ms);
      await publisher.publish(canary, [deleted], logger);
    }
    expect(recorded).toHaveLength(1);
    now = new Date(Date.parse('2026-12-05T02:00:02.100Z'));
    await publisher.publish(canary, [deleted, { ...deleted, message: 'Terminated canary backend.shop' }], logger);
    expect(recorded.map((event) => event.message)).toEqual([
      'Terminating canary backend.shop',
      'Terminating canary backend.shop',
      'Terminated canary backend.shop',
    ]);
  });
});
