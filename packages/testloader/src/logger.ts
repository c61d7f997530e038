import winston from 'winston';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogEncoding = 'json' | 'console';

/** The one logger, made at the edge (main) and passed down: JSON lines on stdout, with a timestamp. */
export function createTestLoaderLogger(options: { level: LogLevel; encoding?: LogEncoding }): winston.Logger {
  const format =
    options.encoding === 'console'
      ? winston.format.combine(winston.format.timestamp(), winston.format.simple())
      : winston.format.combine(winston.format.timestamp(), winston.format.json());
  return winston.createLogger({
    level: options.level,
    format,
    defaultMeta: { component: 'testloader' },
    transports: [new winston.transports.Console()],
  });
}
