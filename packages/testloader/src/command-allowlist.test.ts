import { describe, expect, it } from '@jest/globals';
import { createCommandAllowlist } from './command-allowlist.ts';

describe('createCommandAllowlist', () => {
  const allowlist = createCommandAllowlist(['kubectl rollout status', 'curl', 'grep', '  echo  ']);

  it('matches argument vectors word by word', () => {
    expect(allowlist.checkArguments(['kubectl', 'rollout', 'status', 'deploy/podinfo', '-n', 'test'])).toEqual({
      allowed: true,
    });
    expect(allowlist.checkArguments(['kubectl', 'delete', 'pod', 'x'])).toEqual({
      allowed: false,
      reason: 'command "kubectl delete pod" does not start with an allowed prefix (--allow-command)',
    });
    expect(allowlist.checkArguments(['kubectl', 'rollout'])).toMatchObject({ allowed: false });
    expect(allowlist.checkArguments(['curlx'])).toMatchObject({ allowed: false });
  });

  it('checks every simple command of a shell line', () => {
    expect(allowlist.checkShellLine('curl -sd test http://podinfo-canary:9898/token | grep token')).toEqual({
      allowed: true,
    });
    expect(allowlist.checkShellLine('echo ok && curl -s http://x/ > /dev/null')).toEqual({ allowed: true });
    expect(allowlist.checkShellLine('curl http://x/; rm -rf /')).toEqual({
      allowed: false,
      reason: 'command "rm -rf /" does not start with an allowed prefix (--allow-command)',
    });
  });

  it('refuses what it cannot see through', () => {
    expect(allowlist.checkShellLine('echo $(rm -rf /)')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/command substitution/),
    });
    expect(allowlist.checkShellLine('echo `id`')).toMatchObject({ allowed: false });
    expect(allowlist.checkShellLine('(rm -rf /)')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/subshells/),
    });
    expect(allowlist.checkShellLine('$CMD x')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/variable/),
    });
    expect(allowlist.checkShellLine('> /tmp/x echo')).toMatchObject({ allowed: false });
    expect(allowlist.checkShellLine("echo 'unterminated")).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/cannot be parsed/),
    });
    expect(allowlist.checkShellLine('   ')).toMatchObject({ allowed: false, reason: 'the command line is empty' });
  });

  it('allows variables in arguments, not in command names', () => {
    expect(allowlist.checkShellLine('curl -s "$URL"')).toEqual({ allowed: true });
  });

  it('"*" allows everything; no entries allow nothing', () => {
    const everything = createCommandAllowlist(['*']);
    expect(everything.allowsEverything).toBe(true);
    expect(everything.checkShellLine('echo $(id); rm -rf /tmp/x')).toEqual({ allowed: true });
    expect(everything.checkArguments(['helm', 'delete', 'x'])).toEqual({ allowed: true });
    const nothing = createCommandAllowlist([]);
    expect(nothing.isEmpty).toBe(true);
    expect(nothing.checkArguments(['kubectl'])).toMatchObject({ allowed: false });
  });
});
