import winston from 'winston';
import type { Logger } from 'winston';

export type { Logger } from 'winston';

/** Flagger's level names, plus "warn" (winston's spelling of "warning"). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; default stdout. */
  stream?: NodeJS.WritableStream;
  /** Fields on every line, e.g. { controller: 'linnet', instance: podName }. */
  defaultMeta?: Record<string, string>;
}

/**
 * The process logger: one JSON object per line with `level`, `message`, `timestamp` and any fields; errors keep
 * their stack. Made once at the edge (main) and passed down.
 */
export function createLogger(options: LoggerOptions): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level === 'warning' ? 'warn' : options.level,
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    defaultMeta: options.defaultMeta,
    transports: [transport],
  });
}

/** A logger that drops everything: the default for library code when no logger is passed. */
export function createSilentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
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
