import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger, describeError, objectLogger } from './logger.ts';

function captureLines(stream: PassThrough): string[] {
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  return lines;
}

describe('createLogger', () => {
  it('writes JSON lines at or above the level, with object fields on child loggers', async () => {
    const stream = new PassThrough();
    const lines = captureLines(stream);
    const logger = createLogger({ level: 'warning', stream, defaultMeta: { controller: 'linnet' } });
    objectLogger(logger, { namespace: 'test', name: 'podinfo' }).warn('halt advancement', { failedChecks: 1 });
    logger.info('not shown');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'warn',
      message: 'halt advancement',
      namespace: 'test',
      name: 'podinfo',
      controller: 'linnet',
      failedChecks: 1,
    });
    expect(typeof line.timestamp).toBe('string');
  });
});

describe('describeError', () => {
  it('carries the machine reason of typed errors', () => {
    const typed = Object.assign(new Error('boom'), { reason: 'Conflict' });
    expect(describeError(typed)).toEqual({ reason: 'Conflict', error: 'boom' });
    expect(describeError(new TypeError('bad'))).toEqual({ reason: 'TypeError', error: 'bad' });
    expect(describeError('text')).toEqual({ reason: 'Unknown', error: 'text' });
  });
});
