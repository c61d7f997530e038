// The process and runtime metrics every Node service exports (prom-client's default metrics): resident memory, CPU,
// heap by space, event-loop lag, GC durations, open handles and file descriptors. They play the part of the Go
// client's process_* and go_* metrics on Flagger's /metrics, under the names Node dashboards expect.
import { collectDefaultMetrics, Registry } from 'prom-client';

export class RuntimeMetrics {
  private readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** What /metrics serves: the controller's own metrics, then the runtime's. */
export function metricsExposition(
  controller: { render(): string },
  runtime: RuntimeMetrics,
): { render(): Promise<string> } {
  return { render: async () => `${controller.render()}${await runtime.render()}` };
}
