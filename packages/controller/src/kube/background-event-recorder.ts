// Records Kubernetes Events off the caller's path. An Event is a report, not part of a rollout step: a reconcile
// that awaited its Event before writing the status made every step one API round trip slower, and under a burst of
// due steps that trip was a third of each step's lateness. As client-go's broadcaster does for Flagger, record()
// only queues; a few writers drain the queue. Events about one object keep their order (one writer at a time per
// object) and their time (taken when queued). The queue is bounded: past its capacity an Event is dropped and
// reported, never allowed to grow memory without limit.
import type { EventRecorder, EventToRecord } from './event-recorder.ts';
import type { KubeObject } from './kube-object.ts';

export interface BackgroundEventRecorderOptions {
  /** Writes one Event (the KubeEventRecorder). */
  recorder: EventRecorder;
  /**
   * Events written at once, across objects. Default 8: at 1,000 Canaries stepping every 10 s, 4 writers fell behind
   * by thousands of Events (a minute late).
   */
  concurrency?: number;
  /** Events waiting to be written, at most; a newer one is dropped. Default 10,000. */
  capacity?: number;
  /** An Event could not be written, or was dropped because the queue was full (`error` says which). */
  onFailed(regarding: KubeObject, event: EventToRecord, error: unknown): void;
  now?: () => Date;
}

interface QueuedEvent {
  regarding: KubeObject;
  event: EventToRecord;
}

export class EventQueueFullError extends Error {
  readonly reason = 'EventQueueFull';
  constructor(capacity: number) {
    super(`${capacity} Events are waiting to be written; this one is dropped`);
    this.name = 'EventQueueFullError';
  }
}

export class BackgroundEventRecorder implements EventRecorder {
  private readonly recorder: EventRecorder;
  private readonly concurrency: number;
  private readonly capacity: number;
  private readonly onFailed: BackgroundEventRecorderOptions['onFailed'];
  private readonly now: () => Date;
  /** Queued Events per object, in the order they were recorded. */
  private readonly queued = new Map<string, QueuedEvent[]>();
  /** Objects with queued Events and no writer, oldest first. */
  private readonly waiting: string[] = [];
  /** Objects a writer is working on. */
  private readonly writing = new Set<string>();
  private size = 0;
  private idle: Array<() => void> = [];

  constructor(options: BackgroundEventRecorderOptions) {
    this.recorder = options.recorder;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.capacity = Math.max(1, options.capacity ?? 10_000);
    this.onFailed = options.onFailed;
    this.now = options.now ?? (() => new Date());
  }

  /** Queues the Event and returns at once; it is written in the background. */
  record(regarding: KubeObject, event: EventToRecord): Promise<void> {
    if (this.size >= this.capacity) {
      this.onFailed(regarding, event, new EventQueueFullError(this.capacity));
      return Promise.resolve();
    }
    const subject = subjectOf(regarding);
    const events = this.queued.get(subject);
    const queued = { regarding, event: { ...event, at: event.at ?? this.now() } };
    if (events) events.push(queued);
    else {
      this.queued.set(subject, [queued]);
      if (!this.writing.has(subject)) this.waiting.push(subject);
    }
    this.size++;
    this.startWriters();
    return Promise.resolve();
  }

  /** Events queued or being written (linnet_events_queued). */
  pending(): number {
    return this.size + this.writing.size;
  }

  /** Resolves once every queued Event has been written or given up, or after `timeoutMs` (graceful shutdown). */
  drain(timeoutMs: number): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private startWriters(): void {
    while (this.writing.size < this.concurrency) {
      const subject = this.waiting.shift();
      if (subject === undefined) break;
      this.writing.add(subject);
      void this.writeQueued(subject).finally(() => {
        this.writing.delete(subject);
        if (this.queued.has(subject)) this.waiting.push(subject);
        this.startWriters();
        if (this.pending() === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  /** Writes the object's queued Events in order, including any queued while it writes. */
  private async writeQueued(subject: string): Promise<void> {
    for (let events = this.queued.get(subject); events; events = this.queued.get(subject)) {
      this.queued.delete(subject);
      for (const { regarding, event } of events) {
        this.size--;
        try {
          await this.recorder.record(regarding, event);
        } catch (error) {
          this.onFailed(regarding, event, error);
        }
      }
    }
  }
}

function subjectOf(object: KubeObject): string {
  const meta = object.metadata;
  return meta?.uid ?? `${object.kind ?? ''}/${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
}
