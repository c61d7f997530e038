/**
 * Known shell-injection forms against a test loader configured as the shipped `shell-tasks` component does
 * (`--enable-shell-tasks --allow-command=curl --allow-command=grep`): every one is refused, for `bash` and `cmd` tasks.
 * The real loader is also tried with a few of them, and a marker file shows nothing ran.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCommandAllowlist } from './command-allowlist.ts';
import { loadShellGrammar } from './plain-pipeline.ts';
import { planTask, type TaskPolicy } from './task-plan.ts';
import { postPayload, startLoaderUnderTest, type LoaderUnderTest } from './testing/local-servers.ts';

const X = '/tmp/linnet-injected';

/** [form, command line] — each would run something other than curl or grep if a shell saw it. */
const INJECTION_CORPUS: readonly (readonly [string, string])[] = [
  ['process substitution as an argument', 'curl x <(rm -rf /tmp/a)'],
  ['process substitution as the output file', 'curl -o /tmp/o >(sh) http://x'],
  ['process substitution after a redirection', 'curl http://x > >(sh)'],
  ['process substitution glued to a word', 'curl -d@<(id) http://x'],
  ['command substitution $()', 'curl http://x/$(id)'],
  ['command substitution as a whole argument', 'curl $(touch /tmp/x)'],
  ['nested command substitution', 'curl "$(echo $(id))"'],
  ['command substitution in double quotes', 'curl "http://x/$(id)"'],
  ['backquotes', 'curl `id`'],
  ['backquotes in double quotes', 'curl "a`id`b"'],
  ['arithmetic expansion', 'curl http://x/$((1+1))'],
  ['semicolon', 'curl http://x; rm -rf /tmp/a'],
  ['semicolon without spaces', 'curl http://x;id'],
  ['trailing semicolon', 'curl http://x;'],
  ['&& list', 'curl http://x && id'],
  ['|| list', 'curl http://x || id'],
  ['background &', 'curl http://x & id'],
  ['trailing &', 'curl http://x &'],
  ['pipe to a program not allowed', 'curl http://x | sh'],
  ['pipe to a program not allowed, no spaces', 'curl http://x|bash'],
  ['pipe to an allowed program then one not allowed', 'curl http://x | grep a | sh'],
  ['|& pipe of stderr', 'curl http://x |& grep a'],
  ['output redirection to a file', 'curl http://x > /etc/passwd'],
  ['appending redirection', 'curl http://x >> ~/.bashrc'],
  ['input redirection', 'curl -d @- http://x < /etc/shadow'],
  ['redirection before the command', '> /tmp/x curl http://x'],
  ['file descriptor duplication', 'curl http://x 2>&1'],
  ['&> redirection', 'curl http://x &> /tmp/x'],
  ['read-write redirection', 'curl http://x <> /tmp/x'],
  ['clobbering redirection', 'curl http://x >| /tmp/x'],
  ['here-document', 'grep a <<EOF\nx\nEOF'],
  ['here-string', 'grep a <<< "$(id)"'],
  ['plain here-string', 'grep root <<< /etc/passwd'],
  ['newline', 'curl http://x\nid'],
  ['carriage return and newline', 'curl http://x\r\nid'],
  ['line continuation', 'curl http://x \\\nid'],
  ['$IFS as a separator', 'curl${IFS}http://x'],
  ['${IFS} inside an argument', 'curl http://x${IFS}-o${IFS}/tmp/x'],
  ['$IFS alone', 'curl $IFS'],
  ['parameter expansion', 'curl $HOME'],
  ['parameter expansion in double quotes', 'curl "$TOKEN"'],
  ['default-value expansion with a command', 'curl ${X:-$(id)}'],
  ['special parameter', 'curl $0'],
  ['lone $ in double quotes', 'curl "a$"'],
  ['glob *', 'curl /etc/*'],
  ['glob ?', 'curl /etc/passw?'],
  ['glob bracket', 'curl /etc/[p]asswd'],
  ['extended glob', 'curl /etc/@(passwd)'],
  ['tilde expansion', 'curl ~/secret'],
  ['tilde user expansion', 'curl ~root'],
  ['brace expansion', 'curl {http://x,-o,/tmp/x}'],
  ['environment assignment prefix', 'LD_PRELOAD=/tmp/x.so curl http://x'],
  ['PATH assignment prefix', 'PATH=/tmp curl http://x'],
  ['assignment alone', 'BASH_ENV=/tmp/x'],
  ['alias definition', "alias curl='rm -rf /tmp/a'"],
  ['alias then use', 'alias curl=id\ncurl http://x'],
  ['function definition', 'curl() { id; }; curl'],
  ['subshell', '(curl http://x)'],
  ['command group', '{ curl http://x; }'],
  ['negation', '! curl http://x'],
  ['comment hiding a second command', 'curl http://x #\nid'],
  ['ANSI-C quoting', "curl $'\\x2fetc\\x2fpasswd'"],
  ['locale quoting', 'curl $"http://x"'],
  ['history expansion', 'curl !!'],
  ['eval', 'eval curl http://x'],
  ['exec', 'exec curl http://x'],
  ['command builtin', 'command curl http://x'],
  ['a different program', 'sh -c "curl http://x"'],
  ['absolute path of another program', '/bin/sh -c id'],
  ['if compound', 'if curl http://x; then id; fi'],
  ['for loop', 'for a in 1; do id; done'],
  ['coprocess', 'coproc curl http://x'],
  ['test expression', '[[ -f /etc/passwd ]]'],
  ['unterminated quote', "curl 'http://x"],
  ['variable as the command name', '$CURL http://x'],
  ['quoted variable as the command name', '"$SHELL" -c id'],
  [`writing to ${X} through a redirection`, `curl http://x > ${X}`],
];

const canary = { name: 'podinfo', namespace: 'test' };

describe('shell injection corpus', () => {
  let policy: TaskPolicy;
  beforeAll(async () => {
    policy = {
      shellTasksEnabled: true,
      allowlist: createCommandAllowlist(['curl', 'grep']),
      grammar: await loadShellGrammar(),
      maxTaskTimeoutMs: 60_000,
    };
  });

  it('has at least 50 forms', () => {
    expect(INJECTION_CORPUS.length).toBeGreaterThanOrEqual(50);
  });

  describe.each(['bash', 'cmd'])('%s tasks', (type) => {
    it.each(INJECTION_CORPUS)('refuses %s: %j', (_form, cmd) => {
      const plan = planTask({ ...canary, phase: 'Progressing', checksum: '', metadata: { type, cmd } }, policy);
      expect(plan).toMatchObject({ kind: 'refused', status: 403, reason: 'CommandNotAllowed' });
    });
  });

  it('accepts the plain forms it is meant for, as argument vectors', () => {
    const plan = planTask(
      {
        ...canary,
        phase: 'Progressing',
        checksum: '',
        metadata: { type: 'bash', cmd: `curl -sd 'a b' -H "X: y" http://x/token | grep token` },
      },
      policy,
    );
    expect(plan).toMatchObject({
      kind: 'shell',
      pipeline: [
        { program: 'curl', args: ['-sd', 'a b', '-H', 'X: y', 'http://x/token'] },
        { program: 'grep', args: ['token'] },
      ],
    });
  });
});

describe('shell injection against the running test loader', () => {
  let service: LoaderUnderTest;
  let directory: string;
  const headers = { Authorization: 'Bearer corpus-token' };
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'linnet-injection-'));
    service = await startLoaderUnderTest({
      shellTasksEnabled: true,
      allowedCommands: ['curl', 'grep'],
      token: 'corpus-token',
    });
  });
  afterAll(async () => {
    await service.close();
    await rm(directory, { recursive: true, force: true });
  });

  it.each([
    (marker: string) => `curl x <(touch ${marker})`,
    (marker: string) => `curl -o /dev/null >(touch ${marker}) http://127.0.0.1:9/`,
    (marker: string) => `curl http://127.0.0.1:9/; touch ${marker}`,
    (marker: string) => `curl http://127.0.0.1:9/ $(touch ${marker})`,
    (marker: string) => `grep a <<< "$(touch ${marker})"`,
  ])('answers 403 and runs nothing for %p', async (line) => {
    const cmd = line(join(directory, 'marker'));
    for (const type of ['bash', 'cmd']) {
      const answer = await postPayload(service.url, { ...canary, metadata: { type, cmd } }, headers);
      expect(answer.status).toBe(403);
    }
    expect(await readdir(directory)).toEqual([]);
  });
});
