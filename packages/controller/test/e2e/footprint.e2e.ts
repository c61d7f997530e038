// Footprint, end to end: the controller caches only what its decisions read, and forgets a deleted Canary.
//  - Secrets nobody refers to are cached as metadata only: 200 Secrets of 500 KiB each (about 130 MiB of base64
//    once parsed) leave the controller's heap, measured after a forced GC, nearly where it was.
//  - A deleted Canary's series leave /metrics.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { KubeAccess } from '../../src/kube/index.ts';
import {
  e2eTypes,
  startE2eSuite,
  SuiteTeardown,
  waitUntil,
  type ControllerLogLine,
  type ControllerProcess,
} from './support/index.ts';
import { createInitializedCanary, scenarioCanary } from './support/scenario-canaries.ts';

const SECRET_COUNT = 200;
const SECRET_BYTES = 500 * 1024;
const HEAP_PROBE = fileURLToPath(new URL('./support/heap-probe.ts', import.meta.url));

describe('footprint', () => {
  let access: KubeAccess;
  let namespace: string;
  let controller: ControllerProcess;
  const teardown = new SuiteTeardown();

  beforeAll(async () => {
    ({ access, namespace, controller } = await startE2eSuite(teardown, 'footprint', {
      logLevel: 'info',
      env: { NODE_OPTIONS: `--expose-gc --import ${HEAP_PROBE}` },
    }));
  });

  afterAll(async () => {
    console.log(`controller log: ${controller?.logFile}`);
    await teardown.run();
  });

  /** Heap in use after a forced GC in the controller process. */
  async function heapUsedAfterGc(): Promise<number> {
    const probesSoFar = controller.logs().filter(isHeapProbe).length;
    process.kill(controller.pid, 'SIGUSR2');
    const line = await controller.waitForLog(
      'the heap probe line',
      (entry) => isHeapProbe(entry) && entry.probe === probesSoFar + 1,
      { timeoutMs: 10_000 },
    );
    expect(line.gc).toBe(true);
    return line.heapUsedBytes as number;
  }

  async function cachedSecrets(): Promise<number> {
    const line = (await controller.metrics())
      .split('\n')
      .find((candidate) => candidate.startsWith('linnet_informer_objects{resource="secrets"}'));
    return Number(line?.split(' ')[1] ?? Number.NaN);
  }

  it('does not grow its heap with unrelated large Secrets', async () => {
    const secretsBefore = await cachedSecrets();
    const before = await heapUsedAfterGc();
    const payload = Buffer.alloc(SECRET_BYTES, 'linnet').toString('base64');
    for (let first = 0; first < SECRET_COUNT; first += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, offset) =>
          access.create(e2eTypes.secret, {
            metadata: { name: `large-${first + offset}`, namespace, labels: { owner: 'helm' } },
            type: 'Opaque',
            data: { release: payload },
          }),
        ),
      );
    }
    await waitUntil(
      `the controller's Secret cache to hold the ${SECRET_COUNT} new Secrets`,
      async () => {
        const cached = await cachedSecrets();
        return cached >= secretsBefore + SECRET_COUNT
          ? { done: true, value: cached }
          : { done: false, seen: `${cached}` };
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const after = await heapUsedAfterGc();
    const growth = after - before;
    const dataBytes = SECRET_COUNT * SECRET_BYTES;
    console.log(
      `heap used after GC: ${mib(before)} → ${mib(after)} (growth ${mib(growth)}) ` +
        `for ${SECRET_COUNT} Secrets holding ${mib(dataBytes)} of data`,
    );
    // Metadata of 200 objects is a few hundred KiB; the data alone would be 100 MiB (133 MiB as base64).
    expect(growth).toBeLessThan(dataBytes / 20);
  }, 240_000);

  it("removes a deleted Canary's series from /metrics", async () => {
    const canary = await createInitializedCanary(
      access,
      scenarioCanary({
        namespace,
        name: 'forgotten',
        analysis: { interval: '5s', threshold: 1, stepWeight: 50, maxWeight: 50, metrics: [] },
      }),
    );
    teardown.defer(() => canary.recorder.stop());
    const series = `{name="forgotten",namespace="${namespace}"}`;
    await controller.waitForMetric(`flagger_canary_status${series} 1`, { timeoutMs: 30_000 });

    await access.delete(e2eTypes.canary, { namespace, name: 'forgotten' });
    await waitUntil(
      "the deleted Canary's series to leave /metrics",
      async () => {
        const left = (await controller.metrics())
          .split('\n')
          .filter((line) => line.includes('name="forgotten"') || line.includes('workload="forgotten'));
        return left.length === 0 ? { done: true, value: undefined } : { done: false, seen: left.join('; ') };
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 120_000);
});

function isHeapProbe(entry: ControllerLogLine): boolean {
  return entry.message === 'heap probe';
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
