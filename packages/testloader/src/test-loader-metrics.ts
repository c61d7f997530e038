import { cpuUsage, memoryUsage } from 'node:process';
import type { GateStore } from './gate-store.ts';
import { CounterFamily, GaugeFamily, MetricsRegistry } from './metrics-registry.ts';
import type { RunningTaskRegistry } from './task-registry.ts';

/** Every metric the test loader exports on /metrics. */
export interface TestLoaderMetrics {
  readonly registry: MetricsRegistry;
  /** {path, code} */
  readonly httpRequests: CounterFamily;
  /** {type} */
  readonly tasksStarted: CounterFamily;
  /** {type} — not started because the same task for the same canary was running */
  readonly tasksSkipped: CounterFamily;
  /** {reason} */
  readonly tasksRefused: CounterFamily;
  /** {type, result} result: succeeded | failed | cancelled */
  readonly tasksFinished: CounterFamily;
  /** {name, namespace, target, code_class} */
  readonly loadResponses: CounterFamily;
  /** {name, namespace, target, kind} kind: connection | timeout */
  readonly loadErrors: CounterFamily;
  /** {name, namespace, target, quantile} */
  readonly loadLastLatency: GaugeFamily;
  /** {name, namespace, target} */
  readonly loadLastRequestedRate: GaugeFamily;
  readonly loadLastAchievedRate: GaugeFamily;
  readonly loadLastDuration: GaugeFamily;
}

export function createTestLoaderMetrics(options: {
  readonly version: string;
  readonly tasks: RunningTaskRegistry;
  readonly gates: GateStore;
}): TestLoaderMetrics {
  const registry = new MetricsRegistry();
  const loadLabels = ['name', 'namespace', 'target'];
  registry
    .gauge('linnet_testloader_info', 'Test loader build information.', ['version'])
    .labels({
      version: options.version,
    })
    .set(1);
  const metrics: TestLoaderMetrics = {
    registry,
    httpRequests: registry.counter(
      'linnet_testloader_http_requests_total',
      'HTTP requests served, by path and status code.',
      ['path', 'code'],
    ),
    tasksStarted: registry.counter('linnet_testloader_tasks_started_total', 'Tasks started, by task type.', ['type']),
    tasksSkipped: registry.counter(
      'linnet_testloader_tasks_skipped_total',
      'Task requests not started because the same task for the same canary was already running.',
      ['type'],
    ),
    tasksRefused: registry.counter('linnet_testloader_tasks_refused_total', 'Task requests refused, by reason.', [
      'reason',
    ]),
    tasksFinished: registry.counter(
      'linnet_testloader_tasks_finished_total',
      'Tasks finished, by task type and result (succeeded, failed, cancelled).',
      ['type', 'result'],
    ),
    loadResponses: registry.counter(
      'linnet_testloader_load_responses_total',
      'Responses received by load runs, by canary, target URL and status class.',
      [...loadLabels, 'code_class'],
    ),
    loadErrors: registry.counter(
      'linnet_testloader_load_errors_total',
      'Load requests that got no response, by canary, target URL and kind (connection, timeout).',
      [...loadLabels, 'kind'],
    ),
    loadLastLatency: registry.gauge(
      'linnet_testloader_load_last_latency_seconds',
      'Latency quantiles (0.5, 0.9, 0.99) of the last finished load run, by canary and target URL.',
      [...loadLabels, 'quantile'],
    ),
    loadLastRequestedRate: registry.gauge(
      'linnet_testloader_load_last_requested_rate',
      'Requested total rate (requests per second) of the last finished load run; 0 = unlimited.',
      loadLabels,
    ),
    loadLastAchievedRate: registry.gauge(
      'linnet_testloader_load_last_achieved_rate',
      'Achieved rate (responses per second) of the last finished load run.',
      loadLabels,
    ),
    loadLastDuration: registry.gauge(
      'linnet_testloader_load_last_duration_seconds',
      'Wall-clock length of the last finished load run.',
      loadLabels,
    ),
  };

  const tasksRunning = registry.gauge('linnet_testloader_tasks_running', 'Tasks running now, by task type.', ['type']);
  const gateOpen = registry.gauge(
    'linnet_testloader_gate_open',
    'Manual gates known to the test loader: 1 open, 0 closed. gate is "name.namespace" or "rollback.name.namespace".',
    ['gate'],
  );
  const processStart = Date.now() / 1000;
  const cpuSeconds = registry.counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.');
  const residentMemory = registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.');
  const heapUsed = registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.');
  registry
    .gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch in seconds.')
    .labels()
    .set(processStart);

  registry.onScrape(() => {
    tasksRunning.clear();
    for (const task of options.tasks.list()) tasksRunning.labels({ type: task.taskType }).inc();
    gateOpen.clear();
    for (const [gate, open] of options.gates.entries()) gateOpen.labels({ gate }).set(open ? 1 : 0);
    const cpu = cpuUsage();
    const cpuCell = cpuSeconds.labels();
    cpuCell.inc(Math.max(0, (cpu.user + cpu.system) / 1e6 - cpuCell.value));
    const memory = memoryUsage();
    residentMemory.labels().set(memory.rss);
    heapUsed.labels().set(memory.heapUsed);
  });
  return metrics;
}
