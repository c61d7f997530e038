import { splitSimpleCommands, tokenizeShellCommand } from './shell-words.ts';

/**
 * Which external commands shell tasks may run (`--allow-command`, repeatable). An entry is a command prefix matched
 * word by word: "kubectl rollout status" allows `kubectl rollout status deploy/podinfo -n test` but not
 * `kubectl delete ...`; "curl" allows `curl -s http://x` but not `curlx`. The entry "*" allows everything.
 *
 * For `bash` and non-hey `cmd` tasks, whose command is a shell line, every simple command in it (each side of `|`,
 * `&&`, `||`, `;`, `&`) must start with an allowed prefix and be a literal word (`$CMD args` is refused), and command
 * substitution (`$(...)`, backquotes) and subshells are refused — unless "*" is allowed.
 */
export type AllowlistDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface CommandAllowlist {
  readonly allowsEverything: boolean;
  readonly isEmpty: boolean;
  /** An argument vector run without a shell (kubectl, helm). */
  checkArguments(argv: readonly string[]): AllowlistDecision;
  /** A command line run by `sh -c` / `bash -c`. */
  checkShellLine(commandLine: string): AllowlistDecision;
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
    checkShellLine(commandLine) {
      if (allowsEverything) return ALLOWED;
      const line = tokenizeShellCommand(commandLine);
      if (!line.ok) return refuse(`the command line cannot be parsed: ${line.error}`);
      if (line.value.hasCommandSubstitution) {
        return refuse('command substitution ($(...) or backquotes) is only allowed with --allow-command "*"');
      }
      const commands = splitSimpleCommands(line.value);
      if (commands.length === 0) return refuse('the command line is empty');
      for (const command of commands) {
        const words: string[] = [];
        for (const token of command) {
          if (token.kind === 'operator') {
            if (token.text === '(' || token.text === ')') {
              return refuse('subshells are only allowed with --allow-command "*"');
            }
            break; // a redirection: the command's own words are the ones before it
          }
          if (token.expands && words.length === 0) {
            return refuse('a command name built from a variable is only allowed with --allow-command "*"');
          }
          words.push(token.text);
        }
        if (words.length === 0) return refuse('a command starting with a redirection is not allowed');
        if (!matches(words)) {
          return refuse(`command ${describe(words)} does not start with an allowed prefix (--allow-command)`);
        }
      }
      return ALLOWED;
    },
  };
}
