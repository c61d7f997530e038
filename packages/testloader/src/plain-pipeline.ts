import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';

/**
 * Reads a task's command line with a real Bash grammar (tree-sitter-bash, run as WebAssembly) and accepts only what
 * can run without a shell: one simple command, or a pipeline of them joined by `|`, made of literal words — unquoted
 * text without shell metacharacters, 'single quotes' and "double quotes" without expansions. Everything else (lists,
 * redirections, here-strings, substitutions, expansions, globs, assignments, subshells, comments, `|&`) is refused
 * with the construct's name. The result is argument vectors, which the test loader runs through execa — no shell.
 *
 * Why tree-sitter-bash: it is maintained with tree-sitter and loads on Node 24 as WebAssembly (no native build).
 * mvdan-sh (sh's GopherJS build) is no longer released, its successor sh-syntax returns no command nodes,
 * bash-parser knows POSIX sh only, and shell-quote is a tokenizer, not a grammar.
 */
export type PlainPipeline = readonly (readonly string[])[];

export interface ShellGrammar {
  /** Splits a command line into the argument vectors of its piped commands, or says which construct is refused. */
  parsePlainPipeline(commandLine: string): ParseResult<PlainPipeline>;
}

/** Loads the grammar once (WebAssembly compilation, ~50 ms); parsing is synchronous afterwards. */
export async function loadShellGrammar(): Promise<ShellGrammar> {
  await Parser.init();
  const wasmPath = createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const parser = new Parser();
  parser.setLanguage(await Language.load(wasmPath));
  return {
    parsePlainPipeline(commandLine) {
      const tree = parser.parse(commandLine);
      if (tree === null) return parseFailure('the command line cannot be parsed');
      try {
        return readProgram(tree.rootNode);
      } finally {
        tree.delete();
      }
    },
  };
}

/** Names for the refusal messages; anything not listed is named by its grammar node type. */
const CONSTRUCT_NAMES: Readonly<Record<string, string>> = {
  process_substitution: 'process substitution (<(...) or >(...))',
  command_substitution: 'command substitution ($(...) or backquotes)',
  simple_expansion: 'parameter expansion ($NAME)',
  expansion: 'parameter expansion (${...})',
  arithmetic_expansion: 'arithmetic expansion ($((...)))',
  ansi_c_string: "ANSI-C quoting ($'...')",
  translated_string: 'locale quoting ($"...")',
  brace_expression: 'brace expansion',
  variable_assignment: 'a variable assignment',
  redirected_statement: 'a redirection',
  file_redirect: 'a redirection',
  heredoc_redirect: 'a here-document',
  herestring_redirect: 'a here-string',
  list: 'a command list (&& or ||)',
  subshell: 'a subshell',
  compound_statement: 'a command group',
  negated_command: 'a negated command (!)',
  comment: 'a comment',
  function_definition: 'a function definition',
};

function refuse<T>(node: Node): ParseResult<T> {
  const construct = CONSTRUCT_NAMES[node.type] ?? `shell syntax "${node.type}"`;
  return parseFailure(`${construct} is not allowed in a shell task (found ${JSON.stringify(node.text)})`);
}

function readProgram(root: Node): ParseResult<PlainPipeline> {
  if (root.hasError) return parseFailure('the command line is not valid shell syntax');
  // Bash joins the lines around a backslash-newline, the grammar sees two words: refuse rather than guess.
  if (/\\\r?\n/u.test(root.text)) return parseFailure('a line continuation is not allowed in a shell task');
  const statements = root.children;
  if (statements.length === 0) return parseFailure('the command line is empty');
  const [statement, ...rest] = statements;
  if (statement === undefined) return parseFailure('the command line is empty');
  if (rest.length > 0) {
    return parseFailure(
      `only one command or pipeline is allowed in a shell task (found ${JSON.stringify(rest[0]?.text ?? '')} after it: ;, &, newlines and comments are refused)`,
    );
  }
  if (statement.type === 'command') return mapResult(readCommand(statement), (argv) => [argv]);
  if (statement.type !== 'pipeline') return refuse(statement);
  const commands: string[][] = [];
  for (const child of statement.children) {
    if (!child.isNamed) {
      if (child.type !== '|')
        return parseFailure(`only plain pipes (|) are allowed in a shell task (found ${child.type})`);
      continue;
    }
    if (child.type !== 'command') return refuse(child);
    const argv = readCommand(child);
    if (!argv.ok) return argv;
    commands.push(argv.value);
  }
  return parsed(commands);
}

function readCommand(command: Node): ParseResult<string[]> {
  const argv: string[] = [];
  for (const child of command.children) {
    const part = child.type === 'command_name' ? child.firstChild : child;
    if (part === null) return parseFailure('the command line is not valid shell syntax');
    const word = readWord(part);
    if (!word.ok) return word;
    argv.push(word.value);
  }
  return parsed(argv);
}

/** A word after quote removal — only when it is literal, i.e. the shell would pass it on unchanged. */
function readWord(node: Node): ParseResult<string> {
  switch (node.type) {
    case 'word':
    case 'number':
      return readUnquoted(node);
    case 'raw_string':
      return parsed(node.text.slice(1, -1));
    case 'string':
      return readDoubleQuoted(node);
    case 'concatenation': {
      let text = '';
      for (const part of node.children) {
        const word = readWord(part);
        if (!word.ok) return word;
        text += word.value;
      }
      return parsed(text);
    }
    default:
      return refuse(node);
  }
}

/**
 * Unquoted characters that never change meaning: letters, digits and `-_./:=,+@%^`. A backslash quotes the next
 * character (except a newline, which would join lines). Anything else — globs `*?[`, `~`, braces, `!`, `#`, `$` — is
 * refused, so the argv we build is exactly the one the shell would have built.
 */
const UNQUOTED_LITERAL = /^(?:[A-Za-z0-9_\-./:=,+@%^]|\\[^\n\r])+$/u;

function readUnquoted(node: Node): ParseResult<string> {
  if (!UNQUOTED_LITERAL.test(node.text)) {
    return parseFailure(
      `unquoted ${JSON.stringify(node.text)} may be expanded by the shell (globs, ~, braces, $, !, #): quote it`,
    );
  }
  return parsed(node.text.replace(/\\(.)/gu, '$1'));
}

function readDoubleQuoted(node: Node): ParseResult<string> {
  const expansion = node.namedChildren.find((child) => child.type !== 'string_content');
  if (expansion !== undefined) return refuse(expansion);
  const content = node.text.slice(1, -1);
  // Outside escapes, `$` and backquotes would expand even when the grammar saw none (e.g. a lone trailing `$`).
  if (/[$`]/u.test(content.replace(/\\[$`"\\]/gu, ''))) {
    return parseFailure(`${JSON.stringify(node.text)} contains $ or a backquote: expansions are not allowed`);
  }
  return parsed(content.replace(/\\([$`"\\])/gu, '$1'));
}

function mapResult<T, U>(result: ParseResult<T>, map: (value: T) => U): ParseResult<U> {
  return result.ok ? parsed(map(result.value)) : result;
}
