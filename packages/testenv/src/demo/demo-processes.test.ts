import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isProcessAlive } from '../processes.ts';
import {
  readJsonLog,
  startDemoProcess,
  stopDemoProcess,
  stopRecordedProcesses,
  waitForPortLine,
  writeProcessRecord,
} from './demo-processes.ts';

// Real child processes: a tiny server script logging a JSON "listening" line, as the test loader and controller do.
const dir = mkdtempSync(join(tmpdir(), 'linnet-demo-processes-'));
const script = join(dir, 'fake-server.mjs');
writeFileSync(
  script,
  `import { createServer } from 'node:http';
const server = createServer((_, response) => response.end('ok')).listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ level: 'info', message: 'http server listening', port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo child processes', () => {
  it('starts a process with its output in a log file, finds its port, and stops it', async () => {
    const child = startDemoProcess({ name: 'fake', mainFile: script, args: [], logFile: join(dir, 'a.log') });
    const port = await waitForPortLine(child, (line) => line.message === 'http server listening', 10_000);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    expect(readJsonLog(child.logFile)).toEqual([{ level: 'info', message: 'http server listening', port }]);
    expect(await stopDemoProcess(child)).toBe('exit code 0');
    expect(child.hasExited()).toBe(true);
  });

  it('reports a process that exits during start-up with its log', async () => {
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, `console.error('cannot start: bad flag'); process.exit(2);\n`);
    const child = startDemoProcess({ name: 'broken', mainFile: broken, args: [], logFile: join(dir, 'b.log') });
    await expect(waitForPortLine(child, () => true, 10_000)).rejects.toThrow(
      /broken exited during start-up \(exit code 2\):\ncannot start: bad flag/,
    );
  });

  it('stops what a --keep run recorded, and only processes still running the recorded file', async () => {
    const kept = startDemoProcess({ name: 'kept', mainFile: script, args: [], logFile: join(dir, 'c.log') });
    await waitForPortLine(kept, (line) => line.message === 'http server listening', 10_000);
    kept.detach();
    const record = join(dir, 'processes.json');
    writeProcessRecord(record, [kept]);
    // A recorded pid that now runs something else must be left alone: record this test's own pid under the script.
    writeFileSync(
      record,
      JSON.stringify({
        processes: [
          { name: 'kept', pid: kept.pid, mainFile: script, logFile: kept.logFile },
          { name: 'not ours', pid: process.pid, mainFile: script, logFile: '' },
        ],
      }),
    );
    expect(await stopRecordedProcesses(record)).toEqual([`kept (pid ${kept.pid})`]);
    await kept.exited;
    expect(isProcessAlive(kept.pid)).toBe(false);
    expect(await stopRecordedProcesses(record)).toEqual([]);
  });
});
