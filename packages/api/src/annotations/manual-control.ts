// Manual controls that Flagger lacks (promote, abort, retry), recorded on the Canary so that the controller can
// honour them: the `linnet` CLI (or kubectl annotate) writes a request, the controller acts on it once and then
// removes it. Pause and resume need no record of their own: they set spec.suspend, which Flagger already honours.
// docs/cli.md describes the protocol.

/** The requested action: promote, abort or retry. */
export const ACTION_ANNOTATION = 'linnet.dev/action';
/** When the action was requested (RFC3339 with milliseconds); with the action, the identity of the request. */
export const ACTION_REQUESTED_AT_ANNOTATION = 'linnet.dev/action-requested-at';

export const MANUAL_ACTIONS = ['promote', 'abort', 'retry'] as const;
export type ManualAction = (typeof MANUAL_ACTIONS)[number];

export interface ManualActionRequest {
  action: ManualAction;
  requestedAt: string;
}

export type PendingManualAction =
  | { kind: 'none' }
  | { kind: 'request'; request: ManualActionRequest }
  /** Annotations a person wrote by hand that do not form a request; the controller reports and removes them. */
  | { kind: 'malformed'; message: string; requestedAt: string | undefined };

const isManualAction = (value: string): value is ManualAction => (MANUAL_ACTIONS as readonly string[]).includes(value);

/** The request recorded on a Canary, if any. */
export function pendingManualAction(annotations: Readonly<Record<string, string>> | undefined): PendingManualAction {
  const action = annotations?.[ACTION_ANNOTATION];
  const requestedAt = annotations?.[ACTION_REQUESTED_AT_ANNOTATION];
  if (action === undefined) return { kind: 'none' };
  if (!isManualAction(action)) {
    return {
      kind: 'malformed',
      message: `${ACTION_ANNOTATION} must be one of ${MANUAL_ACTIONS.join(', ')} (got ${JSON.stringify(action)})`,
      requestedAt,
    };
  }
  // A request written with kubectl annotate and no time is still a request; its action is its identity.
  return { kind: 'request', request: { action, requestedAt: requestedAt ?? '' } };
}

/** The JSON merge patch that records a request (both annotations change in one write). */
export function manualActionRequestPatch(request: ManualActionRequest): {
  metadata: { annotations: Record<string, string> };
} {
  return {
    metadata: {
      annotations: { [ACTION_ANNOTATION]: request.action, [ACTION_REQUESTED_AT_ANNOTATION]: request.requestedAt },
    },
  };
}

/** JSON Pointer of an annotation, as a JSON patch addresses it ("/" in the key is escaped as "~1"). */
export function annotationPointer(key: string): string {
  return `/metadata/annotations/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export type JsonPatchOperation = { op: 'test'; path: string; value: string } | { op: 'remove'; path: string };

/**
 * The JSON patch (RFC 6902) with which the controller acknowledges a request it has handled: it removes the
 * record only if it is still that request, so a newer request written meanwhile survives (the patch then fails
 * with 422 and the controller handles the newer one).
 */
export function acknowledgeManualActionPatch(request: ManualActionRequest): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [
    { op: 'test', path: annotationPointer(ACTION_ANNOTATION), value: request.action },
    { op: 'remove', path: annotationPointer(ACTION_ANNOTATION) },
  ];
  if (request.requestedAt) {
    operations.unshift({
      op: 'test',
      path: annotationPointer(ACTION_REQUESTED_AT_ANNOTATION),
      value: request.requestedAt,
    });
    operations.push({ op: 'remove', path: annotationPointer(ACTION_REQUESTED_AT_ANNOTATION) });
  }
  return operations;
}

/** The merge patch for pause (true) and resume (false). */
export function suspendPatch(suspend: boolean): { spec: { suspend: boolean } } {
  return { spec: { suspend } };
}
