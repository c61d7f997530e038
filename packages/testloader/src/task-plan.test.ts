import { describe, expect, it } from '@jest/globals';
import { createCommandAllowlist } from './command-allowlist.ts';
import { loadShellGrammar } from './plain-pipeline.ts';
import { planTask, type TaskPlan, type TaskPolicy } from './task-plan.ts';
import type { WebhookPayload } from './webhook-payload.ts';

const grammar = await loadShellGrammar();
const SHELL_DISABLED: TaskPolicy = {
  shellTasksEnabled: false,
  allowlist: createCommandAllowlist([]),
  grammar,
  maxTaskTimeoutMs: 3_600_000,
};
const SHELL_ENABLED: TaskPolicy = {
  shellTasksEnabled: true,
  allowlist: createCommandAllowlist(['kubectl rollout status', 'helm test', 'curl', 'grep', 'echo']),
  grammar,
  maxTaskTimeoutMs: 3_600_000,
};
const EVERYTHING_ALLOWED: TaskPolicy = { ...SHELL_ENABLED, allowlist: createCommandAllowlist(['*']) };

function payload(metadata: Record<string, string> | undefined): WebhookPayload {
  return { name: 'podinfo', namespace: 'test', phase: 'Progressing', checksum: '', metadata };
}

function plan(metadata: Record<string, string> | undefined, policy = SHELL_DISABLED): TaskPlan {
  return planTask(payload(metadata), policy);
}

describe('planTask', () => {
  it('runs a hey command in-process, asynchronously, keyed by canary and command', () => {
    const result = plan({
      type: 'cmd',
      cmd: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/',
      logCmdOutput: 'true',
    });
    expect(result).toMatchObject({
      kind: 'load',
      taskType: 'cmd',
      canary: { name: 'podinfo', namespace: 'test' },
      key: 'podinfo.test\u0000cmd\u0000hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/',
      description: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/',
      logOutput: true,
      timeoutMs: 3_600_000,
      spec: { ratePerSecond: 20, durationMs: 60_000, concurrency: 2 },
    });
  });

  it('defaults the type to cmd, and takes quoting into account', () => {
    expect(plan({ cmd: `hey -z 10s -H 'Cookie: canary=always' http://x/` })).toMatchObject({
      kind: 'load',
      spec: { headers: { Cookie: 'canary=always' } },
    });
  });

  it('runs the structured load form', () => {
    expect(plan({ type: 'load', url: 'http://x/', rate: '50', duration: '30s' })).toMatchObject({
      kind: 'load',
      taskType: 'load',
      description: 'load GET http://x/ at 50 req/s for 30s over 3 connections',
      spec: { ratePerSecond: 50, durationMs: 30_000 },
    });
  });

  it('bounds a task by metadata.timeout, capped at --timeout', () => {
    expect(plan({ cmd: 'hey http://x/', timeout: '30s' })).toMatchObject({ timeoutMs: 30_000 });
    expect(plan({ cmd: 'hey http://x/', timeout: '5h' })).toMatchObject({ timeoutMs: 3_600_000 });
    expect(plan({ cmd: 'hey http://x/', timeout: 'soon' })).toMatchObject({ kind: 'refused', status: 400 });
    expect(plan({ cmd: 'hey http://x/', timeout: '-1s' })).toMatchObject({ kind: 'refused', status: 400 });
  });

  it.each([
    [undefined, 'MetadataMissing', 'metadata not found in payload'],
    [{}, 'MetadataMissing', 'metadata not found in payload'],
    [{ type: 'cmd' }, 'CommandMissing', 'cmd not found in metadata'],
    [
      { type: 'cmd', cmd: 'hey -foo http://x/' },
      'InvalidHeyCommand',
      'invalid hey command: flag provided but not defined: -foo',
    ],
    [
      { type: 'cmd', cmd: 'hey -q -1 http://x/' },
      'InvalidHeyCommand',
      'invalid hey command: -q must not be negative (got -1)',
    ],
    [
      { type: 'load', url: 'http://x/', rate: '-1', duration: '1m' },
      'InvalidLoadTask',
      'invalid load task: rate must be a positive number (got "-1")',
    ],
    [{ type: 'concord' }, 'UnsupportedTaskType', "task type concord is not supported by Linnet's test loader"],
    [{ type: 'ngrinder' }, 'UnsupportedTaskType', "task type ngrinder is not supported by Linnet's test loader"],
    [{ type: 'wrk', cmd: 'wrk http://x/' }, 'UnknownTaskType', 'unknown task type wrk'],
    [{ type: '', cmd: 'hey http://x/' }, 'UnknownTaskType', 'unknown task type '],
  ])('refuses %j with 400', (metadata, reason, message) => {
    expect(plan(metadata)).toEqual({ kind: 'refused', status: 400, reason, message });
  });

  describe('with shell tasks disabled (the default)', () => {
    it.each([
      [{ type: 'bash', cmd: 'echo hi' }, 'task type bash runs an external command'],
      [{ type: 'kubectl', cmd: 'rollout status deploy/podinfo' }, 'task type kubectl runs an external command'],
      [{ type: 'helm', cmd: 'test podinfo' }, 'task type helm runs an external command'],
      [{ type: 'helmv3', cmd: 'test podinfo' }, 'task type helmv3 runs an external command'],
      [{ type: 'cmd', cmd: 'curl -s http://x/' }, 'cmd is not a hey command, so it would run through sh -c'],
      [
        { type: 'cmd', cmd: 'hey http://x/ && curl http://y/' },
        'cmd runs hey with shell syntax (a command list (&& or ||) is not allowed in a shell task (found "hey http://x/ && curl http://y/")), which needs a shell',
      ],
      [
        { type: 'cmd', cmd: 'hey http://x/ | grep 200' },
        'cmd runs hey with shell syntax (a pipe), which needs a shell',
      ],
      [{ type: 'cmd', cmd: "echo 'a" }, 'cmd is not a hey command, so it would run through sh -c'],
    ])('refuses %j with 400 and says how to enable them', (metadata, what) => {
      expect(plan(metadata)).toEqual({
        kind: 'refused',
        status: 400,
        reason: 'ShellTasksDisabled',
        message: `${what}; shell tasks are disabled — start the test loader with --enable-shell-tasks and --allow-command <prefix> to run it`,
      });
    });
  });

  describe('with shell tasks enabled', () => {
    it('runs bash blocking, as a pipeline of argument vectors (no shell), with output on request', () => {
      expect(
        plan(
          { type: 'bash', cmd: `curl -s -H 'X-A: b' http://x/token | grep "a token"`, returnCmdOutput: 'true' },
          SHELL_ENABLED,
        ),
      ).toMatchObject({
        kind: 'shell',
        blocking: true,
        returnOutput: true,
        logOutput: true,
        pipeline: [
          { program: 'curl', args: ['-s', '-H', 'X-A: b', 'http://x/token'] },
          { program: 'grep', args: ['a token'] },
        ],
        key: `podinfo.test\u0000bash\u0000curl -s -H 'X-A: b' http://x/token | grep "a token"`,
      });
    });

    it('hands a line that is not plain to the shell only when everything is allowed ("*")', () => {
      expect(plan({ type: 'bash', cmd: 'echo $HOME; true' }, EVERYTHING_ALLOWED)).toMatchObject({
        pipeline: [{ program: 'bash', args: ['-c', 'echo $HOME; true'] }],
      });
      expect(plan({ cmd: 'echo a > /tmp/x' }, EVERYTHING_ALLOWED)).toMatchObject({
        pipeline: [{ program: 'sh', args: ['-c', 'echo a > /tmp/x'] }],
      });
      expect(plan({ cmd: 'echo plain' }, EVERYTHING_ALLOWED)).toMatchObject({
        pipeline: [{ program: 'echo', args: ['plain'] }],
      });
    });

    it('runs kubectl and helm without a shell, split on white space as Flagger does', () => {
      expect(plan({ type: 'kubectl', cmd: 'rollout  status deploy/podinfo -n test' }, SHELL_ENABLED)).toMatchObject({
        kind: 'shell',
        blocking: true,
        pipeline: [{ program: 'kubectl', args: ['rollout', 'status', 'deploy/podinfo', '-n', 'test'] }],
      });
      expect(plan({ type: 'helmv3', cmd: 'test podinfo' }, SHELL_ENABLED)).toMatchObject({
        pipeline: [{ program: 'helm', args: ['test', 'podinfo'] }],
      });
    });

    it('runs other cmd commands without a shell, asynchronously', () => {
      expect(plan({ cmd: 'echo hello' }, SHELL_ENABLED)).toMatchObject({
        kind: 'shell',
        blocking: false,
        pipeline: [{ program: 'echo', args: ['hello'] }],
      });
    });

    it('still runs hey commands in-process', () => {
      expect(plan({ cmd: 'hey http://x/' }, SHELL_ENABLED)).toMatchObject({ kind: 'load' });
    });

    it.each([
      [
        { type: 'kubectl', cmd: 'delete ns test' },
        'command "kubectl delete ns" does not start with an allowed prefix (--allow-command)',
      ],
      [
        { type: 'bash', cmd: 'curl http://x/ | rm -rf /' },
        'command "rm -rf /" does not start with an allowed prefix (--allow-command)',
      ],
      [
        { type: 'cmd', cmd: 'wget http://x/' },
        'command "wget http://x/" does not start with an allowed prefix (--allow-command)',
      ],
    ])('refuses %j with 403 when not allowed', (metadata, message) => {
      expect(plan(metadata, SHELL_ENABLED)).toEqual({
        kind: 'refused',
        status: 403,
        reason: 'CommandNotAllowed',
        message,
      });
    });

    it('requires cmd', () => {
      expect(plan({ type: 'bash' }, SHELL_ENABLED)).toMatchObject({
        kind: 'refused',
        status: 400,
        message: 'cmd not found in metadata',
      });
    });
  });
});
