/**
 * Prometheus metrics in the text exposition format (version 0.0.4), with no dependency: counters, gauges
 * and histograms with labels, served by GET /metrics.
 */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const formatLabels = (labels: Labels): string => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const keyOf = (labels: Labels): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
const formatValue = (v: number): string => (v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

interface Metric {
  name: string;
  render(): string;
}

abstract class Series<T> implements Metric {
  protected readonly series = new Map<string, { labels: Labels; value: T }>();
  constructor(readonly name: string, readonly help: string, readonly type: string) {}
  protected entry(labels: Labels, init: () => T): { labels: Labels; value: T } {
    const key = keyOf(labels);
    let e = this.series.get(key);
    if (!e) this.series.set(key, (e = { labels: { ...labels }, value: init() }));
    return e;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${this.name} ${this.type}`];
    for (const e of this.series.values()) lines.push(...this.lines(e.labels, e.value));
    return `${lines.join('\n')}\n`;
  }
  protected abstract lines(labels: Labels, value: T): string[];
}

export class Counter extends Series<number> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`${this.name}: a counter only goes up`);
    this.entry(labels, () => 0).value += by;
  }
  get(labels: Labels = {}): number {
    return this.series.get(keyOf(labels))?.value ?? 0;
  }
  protected lines(labels: Labels, value: number): string[] {
    return [`${this.name}${formatLabels(labels)} ${formatValue(value)}`];
  }
}

export class Gauge extends Series<number> {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(value: number, labels: Labels = {}): void {
    this.entry(labels, () => 0).value = value;
  }
  get(labels: Labels = {}): number {
    return this.series.get(keyOf(labels))?.value ?? 0;
  }
  protected lines(labels: Labels, value: number): string[] {
    return [`${this.name}${formatLabels(labels)} ${formatValue(value)}`];
  }
}

interface Buckets {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Series<Buckets> {
  constructor(name: string, help: string, readonly buckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const e = this.entry(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 })).value;
    this.buckets.forEach((le, i) => {
      if (value <= le) e.counts[i]++;
    });
    e.sum += value;
    e.count++;
  }
  protected lines(labels: Labels, value: Buckets): string[] {
    const out = this.buckets.map((le, i) => `${this.name}_bucket${formatLabels({ ...labels, le: formatValue(le) })} ${value.counts[i]}`);
    out.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${value.count}`);
    out.push(`${this.name}_sum${formatLabels(labels)} ${value.sum}`, `${this.name}_count${formatLabels(labels)} ${value.count}`);
    return out;
  }
}

/** A set of metrics rendered together. */
export class Registry {
  private readonly metrics = new Map<string, Metric>();
  register<M extends Metric>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
  render(): string {
    return [...this.metrics.values()].map((m) => m.render()).join('');
  }
}
