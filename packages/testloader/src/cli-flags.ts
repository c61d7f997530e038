import { compileNamespacePattern, TOKEN_ENV_VARIABLE } from './auth.ts';
import { parseGoFlags, type GoFlagSpec } from './go-flag-parser.ts';
import type { LogEncoding, LogLevel } from './logger.ts';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';
import { DEFAULT_TESTLOADER_CONFIG, type TestLoaderConfig } from './test-loader.ts';

export { TOKEN_ENV_VARIABLE };

export const USAGE = `Usage: testloader [flags]

Linnet's test loader: Flagger's load tester API (load tasks, gates, rollback gates).
Flags take one or two dashes: -port 8080, --port=8080.

  --port N                   port to listen on (default 8080; 0 = any free port)
  --address ADDR             interface to listen on (default: all)
  --token TOKEN              require "Authorization: Bearer TOKEN" on every request
                             (also --token-file PATH, or the ${TOKEN_ENV_VARIABLE} environment variable)
  --unauthenticated-healthz  serve /healthz without the token (for kubelet probes)
  --namespace-regexp RE      only serve payloads whose namespace matches RE, else 403 "Forbidden"
  --enable-shell-tasks       allow bash, kubectl, helm, helmv3 and non-hey cmd tasks (default: refused with 400);
                             needs a token, and bash/cmd lines must be plain words, quotes and | (no shell)
  --allow-command PREFIX     command prefix shell tasks may run, e.g. "kubectl rollout status"; repeatable;
                             "*" allows everything
  --timeout DURATION         longest a task may run (default 1h)
  --max-body-bytes N         largest request body accepted (default 1048576; larger gets 413)
  --state-file PATH          persist gate states to PATH so they survive a restart (default: memory only)
  --log-level LEVEL          debug, info, warn (or warning), error (default info)
  --log-encoding ENCODING    json or console (default json); Flagger's --zap-encoding is accepted too
  --mesh-simulator-url URL   simulated mesh (Linnet's local test cluster): a load on a cluster Service URL
                             (http://<svc>.<ns>[.svc[.<domain>]]/) becomes a load job of the mesh simulator at URL
  --version                  print the version and exit
`;

const FLAGS: readonly GoFlagSpec[] = [
  { name: 'port', kind: 'int' },
  { name: 'address', kind: 'string' },
  { name: 'token', kind: 'string' },
  { name: 'token-file', kind: 'string' },
  { name: 'unauthenticated-healthz', kind: 'bool' },
  { name: 'namespace-regexp', kind: 'string' },
  { name: 'enable-shell-tasks', kind: 'bool' },
  { name: 'allow-command', kind: 'string-list' },
  { name: 'timeout', kind: 'duration' },
  { name: 'max-body-bytes', kind: 'int' },
  { name: 'state-file', kind: 'string' },
  { name: 'mesh-simulator-url', kind: 'string' },
  { name: 'log-level', kind: 'string' },
  { name: 'log-encoding', kind: 'string' },
  { name: 'zap-encoding', kind: 'string' },
  { name: 'zap-replace-globals', kind: 'bool' },
  { name: 'version', kind: 'bool' },
  { name: 'help', kind: 'bool' },
  { name: 'h', kind: 'bool' },
];

export type CommandLine =
  | { readonly action: 'help' }
  | { readonly action: 'version' }
  | {
      readonly action: 'run';
      readonly config: TestLoaderConfig;
      readonly logLevel: LogLevel;
      readonly logEncoding: LogEncoding;
      /** Read by main (I/O); wins over the environment, conflicts with --token. */
      readonly tokenFile: string | undefined;
    };

const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
};

export function parseCommandLine(
  args: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
): ParseResult<CommandLine> {
  const flags = parseGoFlags(args, FLAGS);
  if (!flags.ok) return parseFailure(flags.error);
  const given = flags.value;
  if (given.bool('help') === true || given.bool('h') === true) return parsed({ action: 'help' });
  if (given.bool('version') === true) return parsed({ action: 'version' });
  if (given.positional.length > 0) return parseFailure(`unexpected argument ${JSON.stringify(given.positional[0])}`);

  const port = given.number('port') ?? DEFAULT_TESTLOADER_CONFIG.port;
  if (port < 0 || port > 65535) return parseFailure(`--port must be between 0 and 65535 (got ${port})`);

  const logLevel = LOG_LEVELS[given.string('log-level') ?? 'info'];
  if (logLevel === undefined) {
    return parseFailure(`--log-level must be one of debug, info, warn, error (got ${given.string('log-level')})`);
  }
  const encoding = given.string('log-encoding') ?? given.string('zap-encoding') ?? 'json';
  if (encoding !== 'json' && encoding !== 'console') {
    return parseFailure(`--log-encoding must be json or console (got ${encoding})`);
  }

  const token = given.string('token');
  const tokenFile = given.string('token-file');
  if (token !== undefined && tokenFile !== undefined)
    return parseFailure('give either --token or --token-file, not both');
  if (token === '') return parseFailure('--token must not be empty');
  const environmentToken = environment[TOKEN_ENV_VARIABLE];

  let namespacePattern: RegExp | undefined;
  const namespaceRegexp = given.string('namespace-regexp');
  if (namespaceRegexp !== undefined && namespaceRegexp !== '') {
    try {
      namespacePattern = compileNamespacePattern(namespaceRegexp);
    } catch (error) {
      return parseFailure(`--namespace-regexp is not a valid regular expression: ${(error as Error).message}`);
    }
  }

  const timeoutMs = given.durationMs('timeout') ?? DEFAULT_TESTLOADER_CONFIG.taskTimeoutMs;
  if (timeoutMs <= 0) return parseFailure('--timeout must be positive');
  const maxBodyBytes = given.number('max-body-bytes') ?? DEFAULT_TESTLOADER_CONFIG.maxBodyBytes;
  if (maxBodyBytes < 1) return parseFailure('--max-body-bytes must be at least 1');
  const stateFile = given.string('state-file');
  if (stateFile === '') return parseFailure('--state-file must not be empty');
  const meshSimulatorUrl = given.string('mesh-simulator-url');
  if (meshSimulatorUrl !== undefined && !/^https?:\/\/[^/]/.test(meshSimulatorUrl)) {
    return parseFailure(`--mesh-simulator-url must be an http:// or https:// URL (got ${meshSimulatorUrl})`);
  }

  return parsed({
    action: 'run',
    logLevel,
    logEncoding: encoding,
    tokenFile,
    config: {
      address: given.string('address') || undefined,
      port,
      token: token ?? (tokenFile === undefined && environmentToken ? environmentToken : undefined),
      unauthenticatedHealthz: given.bool('unauthenticated-healthz') ?? false,
      namespacePattern,
      shellTasksEnabled: given.bool('enable-shell-tasks') ?? false,
      allowedCommands: given.list('allow-command'),
      taskTimeoutMs: timeoutMs,
      maxBodyBytes,
      stateFile,
      meshSimulatorUrl,
    },
  });
}
