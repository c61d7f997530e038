// Preloaded into a controller process by tests that measure its heap (NODE_OPTIONS="--expose-gc --import <this
// file>", see heapProbeEnv): on SIGUSR2 it collects garbage and logs the heap then in use as a JSON line, which the
// test reads from the controller's output.
import { pid } from 'node:process';

let probes = 0;
process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  probes += 1;
  if (collect) {
    // Twice: the first pass can leave garbage that only a second one frees (weak references, finalizers).
    collect();
    collect();
  }
  const line = { level: 'info', message: 'heap probe', probe: probes, pid, gc: collect !== undefined };
  process.stdout.write(`${JSON.stringify({ ...line, heapUsedBytes: process.memoryUsage().heapUsed })}\n`);
});
