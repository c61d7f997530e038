import { describe, expect, it } from '@jest/globals';
import { BackgroundEventRecorder, EventQueueFullError } from './background-event-recorder.ts';
import type { EventRecorder, EventToRecord } from './event-recorder.ts';
import type { KubeObject } from './kube-object.ts';

/** An EventRecorder whose writes finish only when the test lets them. */
class HeldRecorder implements EventRecorder {
  readonly started: Array<{ subject: string; message: string; at?: Date; finish: (error?: Error) => void }> = [];

  record(regarding: KubeObject, event: EventToRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.started.push({
        subject: regarding.metadata?.name ?? '',
        message: event.message,
        at: event.at,
        finish: (error) => (error ? reject(error) : resolve()),
      });
    });
  }

  /** Finishes the write of `message` (which must have started). */
  async finish(message: string, error?: Error): Promise<void> {
    const write = this.started.find((started) => started.message === message);
    if (!write) throw new Error(`${message} was not being written`);
    write.finish(error);
    await settle();
  }
}

const canary = (name: string): KubeObject => ({ kind: 'Canary', metadata: { name, namespace: 'test', uid: name } });
const normal = (message: string): EventToRecord => ({ type: 'Normal', message });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BackgroundEventRecorder', () => {
  it('returns before the Event is written', async () => {
    const held = new HeldRecorder();
    const recorder = new BackgroundEventRecorder({ recorder: held, onFailed: () => undefined });
    let returned = false;
    void recorder.record(canary('a'), normal('one')).then(() => (returned = true));
    await settle();
    expect(returned).toBe(true);
    expect(held.started.map((write) => write.message)).toEqual(['one']);
    expect(recorder.pending()).toBe(1);
  });

  it('writes the Events of one object one after another, in order, and other objects alongside', async () => {
    const held = new HeldRecorder();
    const recorder = new BackgroundEventRecorder({ recorder: held, concurrency: 4, onFailed: () => undefined });
    await recorder.record(canary('a'), normal('a1'));
    await recorder.record(canary('a'), normal('a2'));
    await recorder.record(canary('b'), normal('b1'));
    await settle();
    expect(held.started.map((write) => write.message)).toEqual(['a1', 'b1']);
    await held.finish('a1');
    await recorder.record(canary('a'), normal('a3'));
    expect(held.started.map((write) => write.message)).toEqual(['a1', 'b1', 'a2']);
    await held.finish('a2');
    expect(held.started.map((write) => write.message)).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('writes at most `concurrency` Events at once', async () => {
    const held = new HeldRecorder();
    const recorder = new BackgroundEventRecorder({ recorder: held, concurrency: 2, onFailed: () => undefined });
    for (const name of ['a', 'b', 'c']) await recorder.record(canary(name), normal(name));
    await settle();
    expect(held.started.map((write) => write.subject)).toEqual(['a', 'b']);
    await held.finish('b');
    expect(held.started.map((write) => write.subject)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the time the Event was recorded, not the time it is written', async () => {
    const held = new HeldRecorder();
    const recordedAt = new Date('2026-12-05T08:00:00.000Z');
    const recorder = new BackgroundEventRecorder({ recorder: held, onFailed: () => undefined, now: () => recordedAt });
    await recorder.record(canary('a'), normal('one'));
    await settle();
    expect(held.started[0]?.at).toEqual(recordedAt);
  });

  it('drops an Event beyond its capacity and reports it, and reports a failed write', async () => {
    const held = new HeldRecorder();
    const failures: Array<{ message: string; reason: unknown }> = [];
    const recorder = new BackgroundEventRecorder({
      recorder: held,
      concurrency: 1,
      capacity: 2,
      onFailed: (_regarding, event, error) =>
        failures.push({ message: event.message, reason: (error as { reason?: string }).reason }),
    });
    await recorder.record(canary('a'), normal('one'));
    await settle();
    // 'one' is being written, so it no longer counts against the capacity.
    await recorder.record(canary('a'), normal('two'));
    await recorder.record(canary('a'), normal('three'));
    await recorder.record(canary('a'), normal('four'));
    expect(failures).toEqual([{ message: 'four', reason: new EventQueueFullError(2).reason }]);
    await held.finish('one', Object.assign(new Error('refused'), { reason: 'Forbidden' }));
    expect(failures.at(-1)).toEqual({ message: 'one', reason: 'Forbidden' });
  });

  it('drains: resolves once every queued Event is written, or after the timeout', async () => {
    const held = new HeldRecorder();
    const recorder = new BackgroundEventRecorder({ recorder: held, onFailed: () => undefined });
    await recorder.record(canary('a'), normal('one'));
    await recorder.record(canary('a'), normal('two'));
    let drained = false;
    const draining = recorder.drain(60_000).then(() => (drained = true));
    await held.finish('one');
    expect(drained).toBe(false);
    await held.finish('two');
    await draining;
    expect(recorder.pending()).toBe(0);

    await recorder.record(canary('a'), normal('stuck'));
    await recorder.drain(10);
    expect(recorder.pending()).toBe(1);
  });
});
