/**
 * Which external commands shell tasks may run (`--allow-command`, repeatable). An entry is a command prefix matched
 * word by word: "kubectl rollout status" allows `kubectl rollout status deploy/podinfo -n test` but not
 * `kubectl delete ...`; "curl" allows `curl -s http://x` but not `curlx`. The entry "*" allows everything.
 *
 * For `bash` and non-hey `cmd` tasks the command line is first read by plain-pipeline.ts; each command of the
 * resulting pipeline is checked here as an argument vector.
 */
export type AllowlistDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface CommandAllowlist {
  readonly allowsEverything: boolean;
  readonly isEmpty: boolean;
  /** An argument vector run without a shell. */
  checkArguments(argv: readonly string[]): AllowlistDecision;
}

const ALLOWED: AllowlistDecision = { allowed: true };

export function createCommandAllowlist(entries: readonly string[]): CommandAllowlist {
  const prefixes = entries
    .map((entry) => entry.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0);
  const allowsEverything = prefixes.some((words) => words.length === 1 && words[0] === '*');

  const matches = (argv: readonly string[]): boolean =>
    prefixes.some((prefix) => prefix.length <= argv.length && prefix.every((word, index) => argv[index] === word));

  const describe = (argv: readonly string[]): string => JSON.stringify(argv.slice(0, 3).join(' '));
  const refuse = (reason: string): AllowlistDecision => ({ allowed: false, reason });

  return {
    allowsEverything,
    isEmpty: prefixes.length === 0,
    checkArguments(argv) {
      if (allowsEverything || matches(argv)) return ALLOWED;
      return refuse(`command ${describe(argv)} does not start with an allowed prefix (--allow-command)`);
    },
  };
}
