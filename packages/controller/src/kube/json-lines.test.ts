import { describe, expect, it } from '@jest/globals';
import { readJsonLines } from './json-lines.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of readJsonLines(stream)) values.push(value);
  return values;
}

describe('readJsonLines', () => {
  it('reassembles documents split across chunks and multi-byte characters', async () => {
    const text = '{"type":"ADDED","n":"é"}\n{"type":"BOOK';
    const bytes = new TextEncoder().encode(`${text}MARK"}\n\n{"last":true}`);
    const split = 21; // inside the two-byte "é"
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, split));
        controller.enqueue(bytes.slice(split));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual([{ type: 'ADDED', n: 'é' }, { type: 'BOOKMARK' }, { last: true }]);
  });

  it('stops early without error when the consumer breaks', async () => {
    const seen: unknown[] = [];
    for await (const value of readJsonLines(streamOf(['{"a":1}\n{"a":2}\n']))) {
      seen.push(value);
      break;
    }
    expect(seen).toEqual([{ a: 1 }]);
  });
});
