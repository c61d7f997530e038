import type { CommandAllowlist } from './command-allowlist.ts';
import { redactCommandLine } from './command-redaction.ts';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';
import { parseGoBool } from './go-flag-parser.ts';
import { isHeyProgram, parseHeyCommand } from './hey-command.ts';
import { LOAD_METADATA_FIELDS, parseLoadMetadata } from './load-metadata.ts';
import type { LoadSpec } from './load-spec.ts';
import { parsed, parseFailure, type ParseResult } from './parse-result.ts';
import type { ShellGrammar } from './plain-pipeline.ts';
import type { ShellCommand } from './shell-runner.ts';
import { taskKey } from './task-registry.ts';
import type { WebhookPayload } from './webhook-payload.ts';

/**
 * Decides what a task request means — pure, no I/O. Task types (metadata.type, default "cmd"):
 *
 *   cmd      a `hey` command line → an in-process load run (asynchronous: 202 at once, as in Flagger);
 *            any other command → run as a pipeline (below), asynchronous, only with shell tasks enabled and allowed
 *   load     the structured load form (load-metadata.ts), asynchronous
 *   bash     run as a pipeline, blocking: 200 (+ output with returnCmdOutput) or 500 — shell tasks only
 *   kubectl  `kubectl <cmd split on spaces>`, blocking — shell tasks only
 *   helm, helmv3  `helm <cmd split on spaces>`, blocking — shell tasks only
 *   concord, ngrinder  Flagger integrations Linnet does not implement → 400
 *   anything else → 400 "unknown task type X" (Flagger's load tester panics there)
 *
 * `cmd` and `bash` lines are never given to a shell when the allowlist is a list of prefixes: the line must be plain
 * words, quotes and `|` (plain-pipeline.ts) and every piped command must be allowed; the argument vectors run through
 * execa. Only with `--allow-command "*"` — the operator allowing anything — does a line that is not plain go to
 * `sh -c` / `bash -c`, as in Flagger.
 */
export interface TaskPolicy {
  readonly shellTasksEnabled: boolean;
  readonly allowlist: CommandAllowlist;
  readonly grammar: ShellGrammar;
  /** --timeout: the most any task may run. */
  readonly maxTaskTimeoutMs: number;
}

export interface CanaryRef {
  readonly name: string;
  readonly namespace: string;
}

interface PlanBase {
  readonly taskType: string;
  readonly canary: CanaryRef;
  /** Flagger's de-duplication key: canary + command. */
  readonly key: string;
  /** The command as the user wrote it, or a summary of a load form, for logs: credentials hidden. */
  readonly description: string;
  readonly timeoutMs: number;
  readonly logOutput: boolean;
}

export interface LoadPlan extends PlanBase {
  readonly kind: 'load';
  readonly spec: LoadSpec;
  readonly notes: readonly string[];
}

export interface ShellPlan extends PlanBase {
  readonly kind: 'shell';
  /** true: the HTTP answer waits for the command; false: 202 at once. */
  readonly blocking: boolean;
  /** One command, or several whose output is piped into the next. */
  readonly pipeline: readonly ShellCommand[];
  readonly returnOutput: boolean;
}

export interface RefusedPlan {
  readonly kind: 'refused';
  readonly status: 400 | 403;
  /** Machine reason, for metrics and logs. */
  readonly reason: string;
  readonly message: string;
}

export type TaskPlan = LoadPlan | ShellPlan | RefusedPlan;

const SHELL_TASK_TYPES = new Set(['bash', 'kubectl', 'helm', 'helmv3']);
const UNSUPPORTED_FLAGGER_TASK_TYPES = new Set(['concord', 'ngrinder']);

function refuse(status: 400 | 403, reason: string, message: string): RefusedPlan {
  return { kind: 'refused', status, reason, message };
}

function shellTasksDisabled(what: string): RefusedPlan {
  return refuse(
    400,
    'ShellTasksDisabled',
    `${what}; shell tasks are disabled — start the test loader with --enable-shell-tasks and --allow-command <prefix> to run it`,
  );
}

export function planTask(payload: WebhookPayload, policy: TaskPolicy): TaskPlan {
  const metadata = payload.metadata;
  if (metadata === undefined || Object.keys(metadata).length === 0) {
    return refuse(400, 'MetadataMissing', 'metadata not found in payload');
  }
  const canary: CanaryRef = { name: payload.name, namespace: payload.namespace };
  const canaryId = `${payload.name}.${payload.namespace}`;
  const taskType = metadata['type'] ?? 'cmd';
  const logOutput = parseGoBool(metadata['logCmdOutput'] ?? '') ?? false;
  const returnOutput = parseGoBool(metadata['returnCmdOutput'] ?? '') ?? false;

  let timeoutMs = policy.maxTaskTimeoutMs;
  const timeoutText = metadata['timeout'];
  if (timeoutText !== undefined && timeoutText !== '') {
    const timeout = parseGoDuration(timeoutText);
    if (!timeout.ok) return refuse(400, 'InvalidTimeout', `invalid metadata timeout: ${timeout.error}`);
    if (timeout.value <= 0)
      return refuse(400, 'InvalidTimeout', `metadata timeout must be positive (got ${timeoutText})`);
    timeoutMs = Math.min(timeout.value, policy.maxTaskTimeoutMs);
  }
  const base = { taskType, canary, timeoutMs, logOutput };

  if (taskType === 'load') {
    const spec = parseLoadMetadata(metadata);
    if (!spec.ok) return refuse(400, 'InvalidLoadTask', spec.error);
    const loadFields = Object.fromEntries(LOAD_METADATA_FIELDS.map((field) => [field, metadata[field]]));
    return {
      ...base,
      kind: 'load',
      key: taskKey(canaryId, 'load', JSON.stringify(loadFields)),
      description: redactCommandLine(describeLoad(spec.value)),
      spec: spec.value,
      notes: [],
    };
  }

  if (taskType === 'cmd') {
    const command = metadata['cmd'];
    if (command === undefined) return refuse(400, 'CommandMissing', 'cmd not found in metadata');
    const pipeline = policy.grammar.parsePlainPipeline(command);
    const words = pipeline.ok && pipeline.value.length === 1 ? pipeline.value[0] : undefined;
    if (words?.[0] !== undefined && isHeyProgram(words[0])) {
      const hey = parseHeyCommand(words);
      if (!hey.ok) return refuse(400, 'InvalidHeyCommand', hey.error);
      return {
        ...base,
        kind: 'load',
        key: taskKey(canaryId, 'cmd', command),
        description: redactCommandLine(command),
        spec: hey.value.spec,
        notes: hey.value.notes,
      };
    }
    if (!policy.shellTasksEnabled) {
      const looksLikeHey = isHeyProgram(command.trim().split(/\s+/)[0] ?? '');
      return shellTasksDisabled(
        looksLikeHey
          ? `cmd runs hey with shell syntax (${pipeline.ok ? 'a pipe' : pipeline.error}), which needs a shell`
          : 'cmd is not a hey command, so it would run through sh -c',
      );
    }
    const commands = allowedPipeline(command, 'sh', policy);
    if (!commands.ok) return refuse(403, 'CommandNotAllowed', commands.error);
    return {
      ...base,
      kind: 'shell',
      key: taskKey(canaryId, 'cmd', command),
      description: redactCommandLine(command),
      blocking: false,
      pipeline: commands.value,
      returnOutput: false,
    };
  }

  if (SHELL_TASK_TYPES.has(taskType)) {
    if (!policy.shellTasksEnabled) return shellTasksDisabled(`task type ${taskType} runs an external command`);
    const commandText = metadata['cmd'];
    if (commandText === undefined) return refuse(400, 'CommandMissing', 'cmd not found in metadata');
    let pipeline: readonly ShellCommand[];
    if (taskType === 'bash') {
      const commands = allowedPipeline(commandText, 'bash', policy);
      if (!commands.ok) return refuse(403, 'CommandNotAllowed', commands.error);
      pipeline = commands.value;
    } else {
      // Flagger splits these on white space (strings.Fields) and runs them without a shell.
      const program = taskType === 'kubectl' ? 'kubectl' : 'helm';
      const args = commandText.split(/\s+/).filter(Boolean);
      const allowed = policy.allowlist.checkArguments([program, ...args]);
      if (!allowed.allowed) return refuse(403, 'CommandNotAllowed', allowed.reason);
      pipeline = [{ program, args }];
    }
    return {
      ...base,
      kind: 'shell',
      key: taskKey(canaryId, taskType, commandText),
      description: redactCommandLine(
        taskType === 'bash' ? commandText : `${taskType === 'kubectl' ? 'kubectl' : 'helm'} ${commandText}`,
      ),
      blocking: true,
      pipeline,
      returnOutput,
      logOutput: true, // as Flagger does for its blocking tasks
    };
  }

  if (UNSUPPORTED_FLAGGER_TASK_TYPES.has(taskType)) {
    return refuse(400, 'UnsupportedTaskType', `task type ${taskType} is not supported by Linnet's test loader`);
  }
  return refuse(400, 'UnknownTaskType', `unknown task type ${taskType}`);
}

/**
 * The argument vectors of an allowed `cmd` / `bash` line. A line that is not a plain pipeline is refused with the
 * construct the grammar found — unless everything is allowed, where it goes to the shell Flagger would use.
 */
function allowedPipeline(
  commandLine: string,
  shell: 'sh' | 'bash',
  policy: TaskPolicy,
): ParseResult<readonly ShellCommand[]> {
  const pipeline = policy.grammar.parsePlainPipeline(commandLine);
  if (!pipeline.ok) {
    if (policy.allowlist.allowsEverything) return parsed([{ program: shell, args: ['-c', commandLine] }]);
    return pipeline;
  }
  for (const argv of pipeline.value) {
    const allowed = policy.allowlist.checkArguments(argv);
    if (!allowed.allowed) return parseFailure(allowed.reason);
  }
  return parsed(pipeline.value.map(([program = '', ...args]) => ({ program, args })));
}

export function describeLoad(spec: LoadSpec): string {
  const rate = spec.ratePerSecond === undefined ? 'unlimited rate' : `${spec.ratePerSecond} req/s`;
  const length =
    spec.durationMs === undefined ? `${spec.requestCount ?? 0} requests` : `for ${formatGoDuration(spec.durationMs)}`;
  return `load ${spec.method} ${spec.url} at ${rate} ${length} over ${spec.concurrency} connections`;
}
