import { describe, expect, it } from '@jest/globals';
import { CanaryIndex } from './canary-index.ts';
import type { CanaryResource } from './cluster-types.ts';
import { canaryHandler, relatedObjectHandler } from './enqueue-handlers.ts';

const canary = (generation: number, status: CanaryResource['status'] = {}): CanaryResource => ({
  metadata: { namespace: 'test', name: 'podinfo', generation },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' } },
  status,
});

describe('canaryHandler', () => {
  it('enqueues spec changes and deletions, not status-only updates (Linnet writes those)', () => {
    const queued: string[] = [];
    const deleted: string[] = [];
    const handler = canaryHandler(
      (key) => queued.push(key),
      (object) => deleted.push(object.metadata?.name ?? ''),
    );
    handler.onUpdate?.(canary(1), canary(1, { phase: 'Progressing' }));
    expect(queued).toEqual([]);
    handler.onUpdate?.(canary(1), canary(2));
    handler.onDelete?.(canary(2));
    expect(queued).toEqual(['test/podinfo', 'test/podinfo']);
    expect(deleted).toEqual(['podinfo']);
  });

  it('enqueues manual-control requests, which change annotations but not the generation', () => {
    const queued: string[] = [];
    const handler = canaryHandler(
      (key) => queued.push(key),
      () => undefined,
    );
    const annotated = (annotations: Record<string, string>): CanaryResource => ({
      ...canary(1),
      metadata: { ...canary(1).metadata, annotations },
    });
    handler.onUpdate?.(annotated({ other: 'a' }), annotated({ other: 'b' }));
    expect(queued).toEqual([]);
    const request = { 'linnet.dev/action': 'promote', 'linnet.dev/action-requested-at': '2026-01-11T09:03:10.123Z' };
    handler.onUpdate?.(canary(1), annotated(request));
    handler.onUpdate?.(annotated(request), canary(1));
    expect(queued).toEqual(['test/podinfo', 'test/podinfo']);
  });
});

describe('relatedObjectHandler', () => {
  it('enqueues the Canaries whose target changed, including status-only changes (readiness)', () => {
    const index = new CanaryIndex();
    index.setTarget('test/podinfo', 'Deployment', 'test', 'podinfo');
    const queued: string[] = [];
    const handler = relatedObjectHandler('Deployment', index, (key) => queued.push(key));
    const deployment = { metadata: { namespace: 'test', name: 'podinfo' } };
    handler.onUpdate?.(deployment, deployment);
    handler.onAdd?.({ metadata: { namespace: 'test', name: 'unrelated' } });
    expect(queued).toEqual(['test/podinfo']);
  });
});
