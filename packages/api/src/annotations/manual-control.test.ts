import { describe, expect, it } from '@jest/globals';
import {
  acknowledgeManualActionPatch,
  manualActionRequestPatch,
  pendingManualAction,
  suspendPatch,
} from './manual-control.ts';

describe('manual control records', () => {
  const request = { action: 'promote', requestedAt: '2026-01-11T09:03:10.123Z' } as const;

  it('writes a request as two annotations in one patch and reads it back', () => {
    const patch = manualActionRequestPatch(request);
    expect(patch).toEqual({
      metadata: {
        annotations: {
          'linnet.dev/action': 'promote',
          'linnet.dev/action-requested-at': '2026-01-11T09:03:10.123Z',
        },
      },
    });
    expect(pendingManualAction(patch.metadata.annotations)).toEqual({ kind: 'request', request });
  });

  it('reads no request, a hand-written one and a malformed one', () => {
    expect(pendingManualAction(undefined)).toEqual({ kind: 'none' });
    expect(pendingManualAction({ 'linnet.dev/action': 'abort' })).toEqual({
      kind: 'request',
      request: { action: 'abort', requestedAt: '' },
    });
    expect(pendingManualAction({ 'linnet.dev/action': 'rollback' })).toEqual({
      kind: 'malformed',
      message: 'linnet.dev/action must be one of promote, abort, retry (got "rollback")',
      requestedAt: undefined,
    });
  });

  it('acknowledges only the request that was handled', () => {
    expect(acknowledgeManualActionPatch(request)).toEqual([
      { op: 'test', path: '/metadata/annotations/linnet.dev~1action-requested-at', value: request.requestedAt },
      { op: 'test', path: '/metadata/annotations/linnet.dev~1action', value: 'promote' },
      { op: 'remove', path: '/metadata/annotations/linnet.dev~1action' },
      { op: 'remove', path: '/metadata/annotations/linnet.dev~1action-requested-at' },
    ]);
    expect(suspendPatch(true)).toEqual({ spec: { suspend: true } });
  });
});
