import { describe, expect, it } from '@jest/globals';
import { RunningTaskRegistry, taskKey } from './task-registry.ts';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

const task = (key: string) => ({ key, taskType: 'cmd', canary: 'podinfo.test', description: 'hey ...' });

describe('RunningTaskRegistry', () => {
  it('does not start a task again while the same one runs, and hands out the running result', async () => {
    const registry = new RunningTaskRegistry();
    const run = deferred<string>();
    let starts = 0;
    const first = registry.startUnlessRunning(task('a'), () => {
      starts++;
      return run.promise;
    });
    const second = registry.startUnlessRunning(task('a'), () => {
      starts++;
      return Promise.resolve('second');
    });
    expect([first.started, second.started, starts]).toEqual([true, false, 1]);
    expect(registry.isRunning('a')).toBe(true);
    expect(registry.list().map((entry) => entry.key)).toEqual(['a']);
    run.resolve('first');
    await expect(second.result).resolves.toBe('first');
    expect(registry.isRunning('a')).toBe(false);
  });

  it('runs tasks with different keys side by side and starts a key again after it finished', async () => {
    const registry = new RunningTaskRegistry();
    const a = registry.startUnlessRunning(task('a'), () => Promise.resolve(1));
    const b = registry.startUnlessRunning(task('b'), () => Promise.resolve(2));
    expect([a.started, b.started]).toEqual([true, true]);
    await registry.settled();
    expect(registry.startUnlessRunning(task('a'), () => Promise.resolve(3)).started).toBe(true);
  });

  it('forgets a task that failed, synchronously or not', async () => {
    const registry = new RunningTaskRegistry();
    const failing = registry.startUnlessRunning(task('a'), () => Promise.reject(new Error('boom')));
    await expect(failing.result).rejects.toThrow('boom');
    const throwing = registry.startUnlessRunning(task('b'), () => {
      throw new Error('bang');
    });
    await expect(throwing.result).rejects.toThrow('bang');
    expect(registry.list()).toEqual([]);
  });

  it('keys tasks by canary, type and command', () => {
    expect(taskKey('podinfo.test', 'cmd', 'hey http://x/')).not.toBe(taskKey('podinfo.prod', 'cmd', 'hey http://x/'));
    expect(taskKey('a.b', 'cmd', 'c')).not.toBe(taskKey('a', 'cmd', 'b.c'));
    expect(taskKey('a.b', 'bash', 'echo')).not.toBe(taskKey('a.b', 'cmd', 'bash echo'));
  });
});
