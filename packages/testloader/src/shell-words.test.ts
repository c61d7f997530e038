import { describe, expect, it } from '@jest/globals';
import { plainCommandWords, splitSimpleCommands, tokenizeShellCommand, type ShellCommandLine } from './shell-words.ts';

function tokenize(command: string): ShellCommandLine {
  const line = tokenizeShellCommand(command);
  if (!line.ok) throw new Error(line.error);
  return line.value;
}

function words(command: string): readonly string[] | undefined {
  return plainCommandWords(tokenize(command));
}

describe('tokenizeShellCommand', () => {
  it('splits on blanks and removes quotes as sh does', () => {
    expect(words(`hey -z 1m  -q 10 -c 2 -H 'Cookie: canary=always' -d "{\\"a\\": 1}" http://x:9898/`)).toEqual([
      'hey',
      '-z',
      '1m',
      '-q',
      '10',
      '-c',
      '2',
      '-H',
      'Cookie: canary=always',
      '-d',
      '{"a": 1}',
      'http://x:9898/',
    ]);
  });

  it('handles backslash escapes, adjacent quoted parts, empty words and line continuations', () => {
    expect(words(`echo a\\ b 'c'"d"e '' \\\n f`)).toEqual(['echo', 'a b', 'cde', '', 'f']);
  });

  it('keeps a backslash in double quotes unless it escapes $ ` " \\', () => {
    expect(words(`echo "a\\nb" "\\$HOME"`)).toEqual(['echo', 'a\\nb', '$HOME']);
  });

  it('leaves glob characters in URLs alone', () => {
    expect(words('hey http://x/?a=1&b=2')).toBeUndefined(); // & is an operator here, as in sh
    expect(words("hey 'http://x/?a=1&b=2'")).toEqual(['hey', 'http://x/?a=1&b=2']);
    expect(words('hey http://x/path?q=*')).toEqual(['hey', 'http://x/path?q=*']);
  });

  it('drops comments', () => {
    expect(words('hey http://x/ # load it')).toEqual(['hey', 'http://x/']);
    expect(words('echo a#b')).toEqual(['echo', 'a#b']);
  });

  it('recognises operators, variables and command substitution as not plain', () => {
    expect(words('hey http://x/ && curl y')).toBeUndefined();
    expect(words('hey http://x/ > /dev/null')).toBeUndefined();
    expect(words('hey $URL')).toBeUndefined();
    expect(words("hey '$URL'")).toEqual(['hey', '$URL']);
    expect(tokenize('echo $(id)').hasCommandSubstitution).toBe(true);
    expect(tokenize('echo "`id`"').hasCommandSubstitution).toBe(true);
    expect(tokenize("echo '$(id)'").hasCommandSubstitution).toBe(false);
  });

  it('reports unterminated quotes', () => {
    expect(tokenizeShellCommand("echo 'a")).toEqual({ ok: false, error: 'unterminated single quote' });
    expect(tokenizeShellCommand('echo "a')).toEqual({ ok: false, error: 'unterminated double quote' });
  });
});

describe('splitSimpleCommands', () => {
  const texts = (command: string): string[][] =>
    splitSimpleCommands(tokenize(command)).map((tokens) => tokens.map((token) => token.text));

  it('splits lists and pipelines, keeping redirections with their command', () => {
    expect(texts('curl -s http://x/token | grep token && echo ok; date > /tmp/d\nls &')).toEqual([
      ['curl', '-s', 'http://x/token'],
      ['grep', 'token'],
      ['echo', 'ok'],
      ['date', '>', '/tmp/d'],
      ['ls'],
    ]);
  });

  it('drops empty commands', () => {
    expect(texts('echo a;;')).toEqual([['echo', 'a']]);
    expect(texts('')).toEqual([]);
  });
});
