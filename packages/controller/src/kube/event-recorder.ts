import type { KubeAccess } from './kube-access.ts';
import { NotFoundError } from './kube-errors.ts';
import type { KubeObject } from './kube-object.ts';
import { formatMicroTime } from './micro-time.ts';
import { RepeatFilter } from './repeat-filter.ts';
import { resourceTypes } from './resource-type.ts';

export type KubeEventType = 'Normal' | 'Warning';

export interface EventToRecord {
  type: KubeEventType;
  /** Human-readable; cut to the API's 1024-byte limit. */
  message: string;
  /** Default: the recorder's reason ("Synced", as Flagger). */
  reason?: string;
  /** What Linnet was doing, e.g. "Promote". Default: the recorder's action. */
  action?: string;
  /** When it happened; default: when it is written. */
  at?: Date;
}

export interface EventRecorder {
  /** Record an event about `regarding` (which must have been read from the API: it needs a uid). */
  record(regarding: KubeObject, event: EventToRecord): Promise<void>;
}

/** The events.k8s.io/v1 Event fields Linnet writes. */
export interface KubeEvent extends KubeObject {
  eventTime: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  note: string;
  type: KubeEventType;
  regarding: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
  };
  series?: { count: number; lastObservedTime: string };
}

export interface KubeEventRecorderOptions {
  access: KubeAccess;
  /** Identifies this replica (e.g. the pod name); required by the API. */
  reportingInstance: string;
  /** Default "linnet". */
  reportingController?: string;
  /** Default "Synced", Flagger's one event reason. */
  reason?: string;
  /** Default "Reconcile". */
  action?: string;
  /** A repeat of the same event within this window bumps the first one's series count. Default 10 minutes. */
  aggregationWindowMs?: number;
  /** A repeat within this long of the last one written is dropped, not counted. Default 2 s. */
  repeatWindowMs?: number;
  now?: () => Date;
}

const NOTE_LIMIT_BYTES = 1024;
const MAX_REMEMBERED_EVENTS = 4096;

interface RememberedEvent {
  namespace: string;
  name: string;
  count: number;
  firstSeenMs: number;
}

/**
 * Writes events.k8s.io/v1 Events (visible in `kubectl describe` and `kubectl get events`). Identical events in
 * quick succession are folded into one Event with a series count, as client-go's recorder does, so a condition
 * reported on every reconcile does not flood etcd; a repeat within seconds of the last write is dropped.
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly options: Required<Omit<KubeEventRecorderOptions, 'access' | 'repeatWindowMs'>>;
  private readonly access: KubeAccess;
  private readonly repeats: RepeatFilter;
  private readonly recent = new Map<string, RememberedEvent>();
  private sequence = 0n;

  constructor(options: KubeEventRecorderOptions) {
    this.access = options.access;
    this.options = {
      reportingInstance: options.reportingInstance,
      reportingController: options.reportingController ?? 'linnet',
      reason: options.reason ?? 'Synced',
      action: options.action ?? 'Reconcile',
      aggregationWindowMs: options.aggregationWindowMs ?? 10 * 60_000,
      now: options.now ?? (() => new Date()),
    };
    this.repeats = new RepeatFilter({
      windowMs: options.repeatWindowMs ?? 2_000,
      capacity: MAX_REMEMBERED_EVENTS,
      now: () => this.options.now().getTime(),
    });
  }

  async record(regarding: KubeObject, event: EventToRecord): Promise<void> {
    const meta = regarding.metadata;
    const namespace = meta?.namespace ?? 'default';
    const reason = event.reason ?? this.options.reason;
    const action = event.action ?? this.options.action;
    const note = truncateUtf8(event.message, NOTE_LIMIT_BYTES);
    const now = event.at ?? this.options.now();
    const key = [meta?.uid ?? `${namespace}/${meta?.name ?? ''}`, event.type, reason, action, note].join('\u0000');
    if (this.repeats.isRepeat(key)) return;

    const previous = this.recent.get(key);
    if (previous && now.getTime() - previous.firstSeenMs < this.options.aggregationWindowMs) {
      try {
        const count = previous.count + 1;
        await this.access.mergePatch(
          resourceTypes.event,
          { namespace: previous.namespace, name: previous.name },
          { series: { count, lastObservedTime: formatMicroTime(now) } },
        );
        previous.count = count;
        return;
      } catch (error) {
        // The first event may have expired (events have a TTL): start a new one.
        if (!(error instanceof NotFoundError)) throw error;
        this.recent.delete(key);
      }
    }

    const name = `${(meta?.name ?? 'object').slice(0, 200)}.${this.uniqueSuffix(now)}`;
    const body: KubeEvent = {
      metadata: { name, namespace },
      eventTime: formatMicroTime(now),
      reportingController: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
      action,
      reason,
      note,
      type: event.type,
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: meta?.name,
        namespace: meta?.namespace,
        uid: meta?.uid,
        resourceVersion: meta?.resourceVersion,
      },
    };
    await this.access.create(resourceTypes.event, body);
    this.remember(key, { namespace, name, count: 1, firstSeenMs: now.getTime() });
  }

  // client-go names events "<object>.<unix nanoseconds in hex>"; a counter keeps two events in one millisecond apart.
  private uniqueSuffix(now: Date): string {
    this.sequence = (this.sequence + 1n) % 1_000_000n;
    return (BigInt(now.getTime()) * 1_000_000n + this.sequence).toString(16);
  }

  private remember(key: string, event: RememberedEvent): void {
    if (this.recent.size >= MAX_REMEMBERED_EVENTS) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
    this.recent.set(key, event);
  }
}

export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut + ellipsis, 'utf8') > maxBytes) cut = cut.slice(0, -1);
  return cut + ellipsis;
}
