// A small Prometheus client: counters, gauges and histograms with labels, rendered in the text exposition format
// (version 0.0.4). Enough for /metrics without a dependency.

export type Labels = Readonly<Record<string, string>>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** client_golang's DefBuckets, which Flagger's duration histogram uses. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class MetricDefinitionError extends Error {
  readonly reason = 'InvalidMetricDefinition';
  constructor(message: string) {
    super(message);
    this.name = 'MetricDefinitionError';
  }
}

interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

abstract class Metric<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  abstract readonly type: 'counter' | 'gauge' | 'histogram';

  constructor(definition: MetricDefinition<L>) {
    if (!METRIC_NAME.test(definition.name)) throw new MetricDefinitionError(`invalid metric name ${definition.name}`);
    for (const label of definition.labelNames ?? []) {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le') {
        throw new MetricDefinitionError(`invalid label name ${label} on ${definition.name}`);
      }
    }
    this.name = definition.name;
    this.help = definition.help;
    this.labelNames = definition.labelNames ?? [];
  }

  /** The series key: label values in declared order. Missing labels are an error, not an empty value. */
  protected keyOf(labels: Partial<Record<L, string>>): string {
    const given = Object.keys(labels);
    if (given.length !== this.labelNames.length || this.labelNames.some((name) => labels[name] === undefined)) {
      throw new MetricDefinitionError(
        `${this.name} takes labels {${this.labelNames.join(',')}}, got {${given.join(',')}}`,
      );
    }
    return JSON.stringify(this.labelNames.map((name) => labels[name]));
  }

  /** The stored series by key; each kind of metric keeps its own value type. */
  protected abstract readonly series: Map<string, unknown>;

  /** Drop one series (e.g. a deleted canary's), so it stops being exported. */
  remove(labels: Record<L, string>): void {
    this.series.delete(this.keyOf(labels));
  }

  /** Drop every series whose labels match `partial` (e.g. all series of one canary). */
  removeMatching(partial: Partial<Record<L, string>>): void {
    for (const key of [...this.series.keys()]) {
      const labels = this.labelsOf(key);
      if (Object.entries(partial).every(([name, value]) => labels[name] === value)) this.series.delete(key);
    }
  }

  protected labelsOf(key: string): Labels {
    const values = JSON.parse(key) as string[];
    return Object.fromEntries(this.labelNames.map((name, index) => [name, values[index] ?? '']));
  }

  render(): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n${this.renderSamples()}`;
  }

  protected abstract renderSamples(): string;
}

export class Counter<L extends string = never> extends Metric<L> {
  readonly type = 'counter';
  protected readonly series = new Map<string, number>();

  inc(labels: Record<L, string>, by = 1): void {
    if (by < 0) throw new MetricDefinitionError(`${this.name}: a counter cannot decrease`);
    const key = this.keyOf(labels);
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  get(labels: Record<L, string>): number {
    return this.series.get(this.keyOf(labels)) ?? 0;
  }

  protected renderSamples(): string {
    return [...this.series].map(([key, value]) => sample(this.name, this.labelsOf(key), value)).join('');
  }
}

export class Gauge<L extends string = never> extends Metric<L> {
  readonly type = 'gauge';
  protected readonly series = new Map<string, number>();

  set(labels: Record<L, string>, value: number): void {
    this.series.set(this.keyOf(labels), value);
  }

  inc(labels: Record<L, string>, by = 1): void {
    const key = this.keyOf(labels);
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  get(labels: Record<L, string>): number | undefined {
    return this.series.get(this.keyOf(labels));
  }

  protected renderSamples(): string {
    return [...this.series].map(([key, value]) => sample(this.name, this.labelsOf(key), value)).join('');
  }
}

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram<L extends string = never> extends Metric<L> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  protected readonly series = new Map<string, HistogramSeries>();

  constructor(definition: MetricDefinition<L> & { buckets?: readonly number[] }) {
    super(definition);
    const buckets = [...(definition.buckets ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
    if (buckets.length === 0 || buckets.some((bound) => !Number.isFinite(bound))) {
      throw new MetricDefinitionError(`${this.name}: buckets must be finite numbers`);
    }
    this.buckets = buckets;
  }

  observe(labels: Record<L, string>, value: number): void {
    const key = this.keyOf(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    // Counts are stored per bucket and made cumulative when rendered.
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Count and sum of one series (for tests and logs). */
  snapshot(labels: Record<L, string>): { count: number; sum: number } {
    const series = this.series.get(this.keyOf(labels));
    return { count: series?.count ?? 0, sum: series?.sum ?? 0 };
  }

  protected renderSamples(): string {
    let text = '';
    for (const [key, series] of this.series) {
      const labels = this.labelsOf(key);
      let cumulative = 0;
      this.buckets.forEach((bound, index) => {
        cumulative += series.counts[index] ?? 0;
        text += sample(`${this.name}_bucket`, { ...labels, le: formatNumber(bound) }, cumulative);
      });
      text += sample(`${this.name}_bucket`, { ...labels, le: '+Inf' }, series.count);
      text += sample(`${this.name}_sum`, labels, series.sum);
      text += sample(`${this.name}_count`, labels, series.count);
    }
    return text;
  }
}

/** Holds metrics and renders them; `beforeRender` hooks refresh gauges that are sampled (e.g. queue depth). */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric<string>>();
  private readonly refreshers: Array<() => void> = [];

  counter<L extends string = never>(definition: MetricDefinition<L>): Counter<L> {
    return this.register(new Counter<L>(definition));
  }

  gauge<L extends string = never>(definition: MetricDefinition<L>): Gauge<L> {
    return this.register(new Gauge<L>(definition));
  }

  histogram<L extends string = never>(definition: MetricDefinition<L> & { buckets?: readonly number[] }): Histogram<L> {
    return this.register(new Histogram<L>(definition));
  }

  beforeRender(refresh: () => void): void {
    this.refreshers.push(refresh);
  }

  render(): string {
    for (const refresh of this.refreshers) refresh();
    return [...this.metrics.values()].map((metric) => metric.render()).join('');
  }

  private register<M extends Metric<string>>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new MetricDefinitionError(`metric ${metric.name} is already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([label, labelValue]) => `${label}="${escapeLabelValue(labelValue)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatNumber(value)}\n`;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
