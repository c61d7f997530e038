/**
 * A small Prometheus registry: counters and gauges with labels, rendered in the text exposition format 0.0.4.
 * Series cells are plain objects, so the load runner can count every response without a lookup.
 */
export type LabelValues = Readonly<Record<string, string>>;

export interface CounterCell {
  inc(amount?: number): void;
  readonly value: number;
}

export interface GaugeCell {
  set(value: number): void;
  inc(amount?: number): void;
  dec(amount?: number): void;
  readonly value: number;
}

interface Series {
  readonly labels: LabelValues;
  value: number;
}

class MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labelNames: readonly string[];
  protected readonly series = new Map<string, Series>();

  constructor(name: string, help: string, type: 'counter' | 'gauge', labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.labelNames = labelNames;
  }

  protected seriesFor(labels: LabelValues): Series {
    const names = Object.keys(labels).sort();
    if (names.join(',') !== [...this.labelNames].sort().join(',')) {
      throw new Error(`metric ${this.name} takes labels [${this.labelNames.join(', ')}], got [${names.join(', ')}]`);
    }
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { ...labels }, value: 0 };
      this.series.set(key, series);
    }
    return series;
  }

  /** Drops every series (for gauges rebuilt at scrape time). */
  clear(): void {
    this.series.clear();
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const series of this.series.values()) {
      lines.push(`${this.name}${renderLabels(this.labelNames, series.labels)} ${renderValue(series.value)}`);
    }
    return lines.join('\n');
  }
}

export class CounterFamily extends MetricFamily {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'counter', labelNames);
  }

  labels(labels: LabelValues = {}): CounterCell {
    const series = this.seriesFor(labels);
    return {
      inc: (amount = 1) => {
        if (amount < 0) throw new Error(`counter ${this.name} cannot decrease`);
        series.value += amount;
      },
      get value() {
        return series.value;
      },
    };
  }
}

export class GaugeFamily extends MetricFamily {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, 'gauge', labelNames);
  }

  labels(labels: LabelValues = {}): GaugeCell {
    const series = this.seriesFor(labels);
    return {
      set: (value) => {
        series.value = value;
      },
      inc: (amount = 1) => {
        series.value += amount;
      },
      dec: (amount = 1) => {
        series.value -= amount;
      },
      get value() {
        return series.value;
      },
    };
  }
}

export class MetricsRegistry {
  private readonly families: MetricFamily[] = [];
  private readonly beforeScrape: (() => void)[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): CounterFamily {
    return this.register(new CounterFamily(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): GaugeFamily {
    return this.register(new GaugeFamily(name, help, labelNames));
  }

  /** Runs before every exposition, to refresh gauges that mirror state (running tasks, gates, process). */
  onScrape(refresh: () => void): void {
    this.beforeScrape.push(refresh);
  }

  expose(): string {
    for (const refresh of this.beforeScrape) refresh();
    return `${this.families.map((family) => family.render()).join('\n')}\n`;
  }

  private register<T extends MetricFamily>(family: T): T {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(family.name)) throw new Error(`invalid metric name ${family.name}`);
    if (this.families.some((existing) => existing.name === family.name)) {
      throw new Error(`metric ${family.name} is registered twice`);
    }
    this.families.push(family);
    return family;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function renderLabels(names: readonly string[], labels: LabelValues): string {
  if (names.length === 0) return '';
  return `{${names.map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`).join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
