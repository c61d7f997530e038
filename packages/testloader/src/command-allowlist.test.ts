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

  it('"*" allows everything; no entries allow nothing', () => {
    const everything = createCommandAllowlist(['*']);
    expect(everything.allowsEverything).toBe(true);
    expect(everything.checkArguments(['helm', 'delete', 'x'])).toEqual({ allowed: true });
    const nothing = createCommandAllowlist([]);
    expect(nothing.isEmpty).toBe(true);
    expect(nothing.checkArguments(['kubectl'])).toMatchObject({ allowed: false });
  });
});
