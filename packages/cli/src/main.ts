#!/usr/bin/env node
// The `linnet` command (installed also as kubectl-linnet, so `kubectl linnet ...` runs it).
import { text } from 'node:stream/consumers';
import { runCli } from './cli.ts';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
process.once('SIGTERM', () => interrupt.abort());

const exitCode = await runCli(process.argv.slice(2), {
  stdout: {
    write: (chunk) => process.stdout.write(chunk),
    isTTY: process.stdout.isTTY,
    get columns() {
      return process.stdout.columns;
    },
  },
  stderr: { write: (chunk) => process.stderr.write(chunk) },
  readStdin: () => text(process.stdin),
  interrupt: interrupt.signal,
});
// Exit once the output is flushed; open watch connections would otherwise keep the process alive.
process.stdout.write('', () => process.exit(exitCode));
