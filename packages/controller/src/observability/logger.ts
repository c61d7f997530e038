// The process logger: one JSON object per line with `level`, `message`, `timestamp` and any fields. A few lines of
// its own rather than a logging library: this is all the controller needs, and a library such as winston costs
// about 10 MiB of resident memory in a process whose footprint is measured against Flagger's.

/** Flagger's level names, plus "warn" (the usual spelling of "warning"). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Fields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger whose lines also carry `fields`. */
  child(fields: Fields): Logger;
  /** Resolves once every line written so far has been handed to the operating system. */
  flush(): Promise<void>;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; default stdout. */
  stream?: NodeJS.WritableStream;
  /** Fields on every line, e.g. { controller: 'linnet', instance: podName }. */
  defaultMeta?: Record<string, string>;
}

const SEVERITY = { debug: 0, info: 1, warn: 2, error: 3 } as const;
type Severity = keyof typeof SEVERITY;

class JsonLinesLogger implements Logger {
  private readonly stream: NodeJS.WritableStream | undefined;
  private readonly minimum: number;
  private readonly fields: Fields;

  constructor(stream: NodeJS.WritableStream | undefined, minimum: number, fields: Fields) {
    this.stream = stream;
    this.minimum = minimum;
    this.fields = fields;
  }

  debug(message: string, fields?: Fields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Fields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Fields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Fields): void {
    this.write('error', message, fields);
  }

  child(fields: Fields): Logger {
    return new JsonLinesLogger(this.stream, this.minimum, { ...this.fields, ...fields });
  }

  flush(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.write('', () => resolve()));
  }

  private write(level: Severity, message: string, fields: Fields | undefined): void {
    if (!this.stream || SEVERITY[level] < this.minimum) return;
    const line = { ...this.fields, ...fields, level, message, timestamp: new Date().toISOString() };
    this.stream.write(`${serialise(line)}\n`);
  }
}

/** JSON of a log line; an Error field keeps its message and stack, a circular one does not break logging. */
function serialise(line: Fields): string {
  const replacer = (_key: string, value: unknown): unknown =>
    value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  try {
    return JSON.stringify(line, replacer);
  } catch (error) {
    return JSON.stringify({
      level: line.level,
      message: line.message,
      timestamp: line.timestamp,
      logError: String(error),
    });
  }
}

/** The process logger. Made once at the edge (main) and passed down. */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level === 'warning' ? 'warn' : options.level;
  return new JsonLinesLogger(options.stream ?? process.stdout, SEVERITY[level], options.defaultMeta ?? {});
}

/** A logger that drops everything: the default for library code when no logger is passed. */
export function createSilentLogger(): Logger {
  return new JsonLinesLogger(undefined, Infinity, {});
}

/** A child logger whose lines carry the object they are about (for a Canary: its namespace and name). */
export function objectLogger(logger: Logger, object: { namespace?: string; name: string }): Logger {
  return logger.child(object.namespace ? { namespace: object.namespace, name: object.name } : { name: object.name });
}

/** `{ reason, message }` of any thrown value, for structured logs. */
export function describeError(error: unknown): { reason: string; error: string } {
  if (error instanceof Error) {
    const reason = (error as Error & { reason?: unknown }).reason;
    return { reason: typeof reason === 'string' ? reason : error.name, error: error.message };
  }
  return { reason: 'Unknown', error: String(error) };
}
