import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/**
 * A POSIX `sh` command line, split the way the shell would split it before running it — enough to recognise a plain
 * `hey ...` invocation (which the test loader runs in-process instead of through a shell) and to check each simple
 * command of a list or pipeline against the command allowlist. It does not execute or expand anything.
 */
export type ShellToken =
  | {
      readonly kind: 'word';
      /** The word after quote removal. */
      readonly text: string;
      /** The word contains an unquoted or double-quoted `$` (parameter expansion) — its final text is unknown. */
      readonly expands: boolean;
    }
  | { readonly kind: 'operator'; readonly text: string };

export interface ShellCommandLine {
  readonly tokens: readonly ShellToken[];
  /** `$(...)` or backquotes somewhere outside single quotes: the line runs commands we cannot see. */
  readonly hasCommandSubstitution: boolean;
}

/** Operators, longest first so that `&&` wins over `&`. */
const OPERATORS = ['&&', '||', ';;', '>>', '<<', '<&', '>&', '<>', '>|', '|&', '&', '|', ';', '<', '>', '(', ')', '\n'];
/** Operators that separate simple commands (as opposed to redirections). */
const COMMAND_SEPARATORS = new Set(['&&', '||', ';;', '|&', '&', '|', ';', '\n']);

export function tokenizeShellCommand(command: string): ParseResult<ShellCommandLine> {
  const tokens: ShellToken[] = [];
  let hasCommandSubstitution = false;
  let word = '';
  let inWord = false;
  let expands = false;

  const finishWord = (): void => {
    if (inWord) tokens.push({ kind: 'word', text: word, expands });
    word = '';
    inWord = false;
    expands = false;
  };

  let index = 0;
  while (index < command.length) {
    const char = command[index] ?? '';
    if (char === ' ' || char === '\t') {
      finishWord();
      index++;
      continue;
    }
    if (char === '#' && !inWord) {
      while (index < command.length && command[index] !== '\n') index++;
      continue;
    }
    if (char === '\\') {
      const next = command[index + 1];
      if (next === '\n') {
        index += 2; // line continuation
        continue;
      }
      inWord = true;
      word += next ?? '\\';
      index += 2;
      continue;
    }
    if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end === -1) return parseFailure('unterminated single quote');
      inWord = true;
      word += command.slice(index + 1, end);
      index = end + 1;
      continue;
    }
    if (char === '"') {
      inWord = true;
      index++;
      let closed = false;
      while (index < command.length) {
        const inner = command[index] ?? '';
        if (inner === '"') {
          closed = true;
          index++;
          break;
        }
        if (inner === '\\') {
          const next = command[index + 1];
          if (next !== undefined && '$`"\\\n'.includes(next)) {
            if (next !== '\n') word += next;
            index += 2;
            continue;
          }
        }
        if (inner === '`' || (inner === '$' && command[index + 1] === '(')) hasCommandSubstitution = true;
        if (inner === '$') expands = true;
        word += inner;
        index++;
      }
      if (!closed) return parseFailure('unterminated double quote');
      continue;
    }
    if (char === '`' || (char === '$' && command[index + 1] === '(')) hasCommandSubstitution = true;
    const operator = OPERATORS.find((candidate) => command.startsWith(candidate, index));
    if (operator !== undefined && !(char === '(' && inWord && word.endsWith('$'))) {
      finishWord();
      tokens.push({ kind: 'operator', text: operator });
      index += operator.length;
      continue;
    }
    if (char === '$') expands = true;
    inWord = true;
    word += char;
    index++;
  }
  finishWord();
  return parsed({ tokens, hasCommandSubstitution });
}

/** The words of a command line made of exactly one simple command with no operators or expansions, else undefined. */
export function plainCommandWords(line: ShellCommandLine): readonly string[] | undefined {
  if (line.hasCommandSubstitution) return undefined;
  const words: string[] = [];
  for (const token of line.tokens) {
    if (token.kind !== 'word' || token.expands) return undefined;
    words.push(token.text);
  }
  return words;
}

/**
 * Splits a command line into its simple commands (separated by `;`, `&&`, `||`, `|`, `&`, newlines). Redirections and
 * their targets stay inside the command they belong to. Empty commands (e.g. after a trailing `;`) are dropped.
 */
export function splitSimpleCommands(line: ShellCommandLine): readonly (readonly ShellToken[])[] {
  const commands: ShellToken[][] = [];
  let current: ShellToken[] = [];
  for (const token of line.tokens) {
    if (token.kind === 'operator' && COMMAND_SEPARATORS.has(token.text)) {
      if (current.length > 0) commands.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) commands.push(current);
  return commands;
}
