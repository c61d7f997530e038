import { describe, expect, it } from '@jest/globals';
import { parseCommandLine, TOKEN_ENV_VARIABLE } from './cli-flags.ts';
import { DEFAULT_TESTLOADER_CONFIG } from './test-loader.ts';

function run(args: string[], environment: Record<string, string> = {}) {
  const result = parseCommandLine(args, environment);
  if (!result.ok) throw new Error(result.error);
  if (result.value.action !== 'run') throw new Error(`expected run, got ${result.value.action}`);
  return result.value;
}

describe('parseCommandLine', () => {
  it('defaults to Flagger-like behaviour with shell tasks off and gates in memory', () => {
    expect(run([])).toEqual({
      action: 'run',
      logLevel: 'info',
      logEncoding: 'json',
      tokenFile: undefined,
      config: DEFAULT_TESTLOADER_CONFIG,
    });
  });

  it('reads every flag, with one or two dashes', () => {
    const parsed = run([
      '--port',
      '9090',
      '--address=127.0.0.1',
      '--token',
      's3cret',
      '--unauthenticated-healthz',
      '-namespace-regexp',
      '^(test|staging)$',
      '--enable-shell-tasks',
      '--allow-command',
      'kubectl rollout status',
      '--allow-command=curl',
      '--timeout',
      '30m',
      '--max-body-bytes',
      '2048',
      '--state-file',
      '/var/lib/testloader/gates.json',
      '--log-level',
      'warning',
      '--zap-encoding',
      'console',
      '--zap-replace-globals',
    ]);
    expect(parsed).toMatchObject({
      logLevel: 'warn',
      logEncoding: 'console',
      config: {
        address: '127.0.0.1',
        port: 9090,
        token: 's3cret',
        unauthenticatedHealthz: true,
        shellTasksEnabled: true,
        allowedCommands: ['kubectl rollout status', 'curl'],
        taskTimeoutMs: 1_800_000,
        maxBodyBytes: 2048,
        stateFile: '/var/lib/testloader/gates.json',
      },
    });
    expect(parsed.config.namespacePattern?.source).toBe('^(test|staging)$');
  });

  it('takes the token from the environment unless given as a flag or a file', () => {
    expect(run([], { [TOKEN_ENV_VARIABLE]: 'from-env' }).config.token).toBe('from-env');
    expect(run(['--token', 'flag'], { [TOKEN_ENV_VARIABLE]: 'from-env' }).config.token).toBe('flag');
    expect(run(['--token-file', '/t'], { [TOKEN_ENV_VARIABLE]: 'from-env' })).toMatchObject({
      tokenFile: '/t',
      config: { token: undefined },
    });
  });

  it('answers help and version', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ ok: true, value: { action: 'help' } });
    expect(parseCommandLine(['-h'], {})).toEqual({ ok: true, value: { action: 'help' } });
    expect(parseCommandLine(['--version'], {})).toEqual({ ok: true, value: { action: 'version' } });
  });

  it.each([
    [['--port', 'http'], 'invalid value "http" for flag -port: parse error'],
    [['--port', '70000'], '--port must be between 0 and 65535 (got 70000)'],
    [['--log-level', 'loud'], '--log-level must be one of debug, info, warn, error (got loud)'],
    [['--log-encoding', 'xml'], '--log-encoding must be json or console (got xml)'],
    [['--token', 'a', '--token-file', 'b'], 'give either --token or --token-file, not both'],
    [['--token='], '--token must not be empty'],
    [['--namespace-regexp', '('], /^--namespace-regexp is not a valid regular expression: /],
    [['--timeout', '0s'], '--timeout must be positive'],
    [['--max-body-bytes', '0'], '--max-body-bytes must be at least 1'],
    [['--state-file='], '--state-file must not be empty'],
    [['--shell'], 'flag provided but not defined: -shell'],
    [['serve'], 'unexpected argument "serve"'],
  ])('refuses %j', (args, error) => {
    const result = parseCommandLine(args, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});
