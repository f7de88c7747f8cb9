import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import { ElixirScopeError } from "../errors/error.js";
import type {
  Counter,
  Gauge,
  Histogram,
  HistogramSnapshot,
  Labels,
  MetricSnapshotEntry,
} from "./types.js";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABELS = new Set(["quantile", "le"]);

export function checkMetricName(name: string): void {
  if (!METRIC_NAME.test(name)) {
    throw new ElixirScopeError(
      "METRIC_INVALID",
      `Invalid metric name ${JSON.stringify(name)}: use letters, digits, "_" and ":", not starting with a digit`,
      { context: { name } },
    );
  }
}

export function checkLabelNames(metric: string, names: readonly string[]): void {
  for (const n of names) {
    if (!LABEL_NAME.test(n) || n.startsWith("__") || RESERVED_LABELS.has(n)) {
      throw new ElixirScopeError(
        "METRIC_INVALID",
        `Metric ${metric}: invalid label name ${JSON.stringify(n)} (letters, digits, "_"; not "__…", "quantile" or "le")`,
        { context: { metric, label: n } },
      );
    }
  }
  if (new Set(names).size !== names.length) {
    throw new ElixirScopeError("METRIC_INVALID", `Metric ${metric}: duplicate label names`, {
      context: { metric, labelNames: names },
    });
  }
}

function badValue(metric: string, value: unknown, rule: string): ElixirScopeError {
  return new ElixirScopeError(
    "METRIC_INVALID",
    `Metric ${metric}: value ${String(value)} ${rule}`,
    {
      context: { metric, value },
    },
  );
}

/** The series key of a label set, in label-name order; validates names and presence. */
function seriesKey(
  metric: string,
  labelNames: readonly string[],
  labels: Labels | undefined,
): string {
  if (labels === undefined) {
    if (labelNames.length === 0) return "";
    throw new ElixirScopeError(
      "METRIC_INVALID",
      `Metric ${metric} needs labels ${labelNames.join(", ")}`,
      {
        context: { metric },
      },
    );
  }
  let key = "";
  for (let i = 0; i < labelNames.length; i++) {
    const v = labels[labelNames[i]!];
    if (typeof v !== "string") {
      throw new ElixirScopeError(
        "METRIC_INVALID",
        `Metric ${metric}: label ${labelNames[i]} must be a string`,
        {
          context: { metric, labels },
        },
      );
    }
    key += i === 0 ? v : `\u0000${v}`;
  }
  if (Object.keys(labels).length !== labelNames.length) {
    throw new ElixirScopeError(
      "METRIC_INVALID",
      `Metric ${metric}: labels ${Object.keys(labels).join(", ")} do not match ${labelNames.join(", ")}`,
      { context: { metric, labels } },
    );
  }
  return key;
}

interface Series<T> {
  labels: Labels;
  state: T;
}

abstract class Metric<T> {
  readonly #series = new Map<string, Series<T>>();
  /**
   * The one series of a metric without labels. It exists from the start, so a counter or gauge
   * that was never updated exposes `name 0` (as prom-client does and Prometheus expects: a
   * missing series reads as "no data", not as zero).
   */
  protected readonly unlabelled: T | undefined;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    this.unlabelled = labelNames.length === 0 ? this.series(undefined) : undefined;
  }
  /** A zeroed series state (called from the base constructor: must not read subclass fields). */
  protected abstract fresh(): T;
  protected series(labels: Labels | undefined): T {
    const key = seriesKey(this.name, this.labelNames, labels);
    let s = this.#series.get(key);
    if (!s) {
      s = { labels: labels ? { ...labels } : {}, state: this.fresh() };
      this.#series.set(key, s);
    }
    return s.state;
  }
  allSeries(): IterableIterator<Series<T>> {
    return this.#series.values();
  }
}

interface Cell {
  value: number;
}

export class CounterMetric extends Metric<Cell> implements Counter {
  readonly type = "counter" as const;
  protected fresh(): Cell {
    return { value: 0 };
  }
  inc(value = 1, labels?: Labels): void {
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY))
      throw badValue(this.name, value, "must be finite and >= 0");
    const cell = labels === undefined ? this.unlabelled : undefined;
    if (cell) cell.value += value;
    else this.series(labels).value += value;
  }
  labels(labels: Labels): { inc(value?: number): void } {
    const cell = this.series(labels);
    const name = this.name;
    return {
      inc(value = 1) {
        if (!(value >= 0 && value < Number.POSITIVE_INFINITY))
          throw badValue(name, value, "must be finite and >= 0");
        cell.value += value;
      },
    };
  }
  value(labels?: Labels): number {
    return this.series(labels).value;
  }
}

export class GaugeMetric extends Metric<Cell> implements Gauge {
  readonly type = "gauge" as const;
  protected fresh(): Cell {
    return { value: 0 };
  }
  #check(value: number): void {
    if (!Number.isFinite(value)) throw badValue(this.name, value, "must be a finite number");
  }
  set(value: number, labels?: Labels): void {
    this.#check(value);
    this.series(labels).value = value;
  }
  inc(value = 1, labels?: Labels): void {
    this.#check(value);
    this.series(labels).value += value;
  }
  dec(value = 1, labels?: Labels): void {
    this.#check(value);
    this.series(labels).value -= value;
  }
  labels(labels: Labels) {
    const cell = this.series(labels);
    const check = (v: number) => this.#check(v);
    return {
      set(value: number) {
        check(value);
        cell.value = value;
      },
      inc(value = 1) {
        check(value);
        cell.value += value;
      },
      dec(value = 1) {
        check(value);
        cell.value -= value;
      },
    };
  }
  value(labels?: Labels): number {
    return this.series(labels).value;
  }
}

interface HdrCell {
  h: RecordableHistogram;
  sum: number;
  /** Per-bucket (not cumulative) counts when the metric has buckets; the last is +Inf. */
  buckets: Float64Array | undefined;
}

function checkBuckets(name: string, buckets: readonly number[]): void {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i] as number;
    if (!Number.isFinite(b)) throw badValue(name, b, "bucket bound must be finite");
    if (i > 0 && !(b > (buckets[i - 1] as number)))
      throw badValue(name, b, "bucket bounds must be strictly increasing");
  }
}

/** The index of the first bucket whose upper bound is >= value (buckets.length for +Inf). */
function bucketIndex(bounds: readonly number[], value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] as number) >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * HDR histogram on Node's native `perf_hooks.createHistogram` (3 significant digits). Values are
 * stored as integer multiples of `resolution`; a value below one resolution step counts as one
 * step (HDR cannot hold zero).
 */
export class HistogramMetric extends Metric<HdrCell> implements Histogram {
  readonly type = "histogram" as const;
  readonly #scale: number;
  readonly quantiles: readonly number[];
  /** Bucket upper bounds, or undefined when Prometheus sees a summary. */
  readonly buckets: readonly number[] | undefined;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    resolution: number,
    quantiles: readonly number[],
    buckets?: readonly number[],
  ) {
    super(name, help, labelNames);
    if (!(resolution > 0)) throw badValue(name, resolution, "resolution must be > 0");
    for (const q of quantiles)
      if (!(q >= 0 && q <= 1)) throw badValue(name, q, "quantile must be in [0, 1]");
    if (buckets !== undefined) checkBuckets(name, buckets);
    this.#scale = 1 / resolution;
    this.quantiles = quantiles;
    this.buckets = buckets === undefined ? undefined : [...buckets];
  }
  protected fresh(): HdrCell {
    // The base constructor creates the unlabelled series before `buckets` is set, so bucket
    // counts are allocated on first use (see #bucketsOf).
    return { h: createHistogram(), sum: 0, buckets: undefined };
  }
  #bucketsOf(cell: HdrCell, bounds: readonly number[]): Float64Array {
    if (cell.buckets === undefined) cell.buckets = new Float64Array(bounds.length + 1);
    return cell.buckets;
  }
  record(value: number, labels?: Labels): void {
    const cell = (labels === undefined ? this.unlabelled : undefined) ?? this.series(labels);
    this.#record(cell, value);
  }
  labels(labels: Labels): { record(value: number): void } {
    const cell = this.series(labels);
    return { record: (value: number) => this.#record(cell, value) };
  }
  #record(cell: HdrCell, value: number): void {
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY))
      throw badValue(this.name, value, "must be finite and >= 0");
    cell.h.record(Math.max(Math.round(value * this.#scale), 1));
    cell.sum += value;
    const bounds = this.buckets;
    if (bounds !== undefined)
      (this.#bucketsOf(cell, bounds)[bucketIndex(bounds, value)] as number)++;
  }
  /** Cumulative counts per bucket bound, ending with +Inf (the series' count). */
  cumulativeBuckets(cell: HdrCell): number[] {
    const out: number[] = [];
    let total = 0;
    for (const n of this.#bucketsOf(cell, this.buckets ?? [])) {
      total += n;
      out.push(total);
    }
    return out;
  }
  percentile(p: number, labels?: Labels): number {
    if (!(p > 0 && p <= 100)) throw badValue(this.name, p, "percentile must be in (0, 100]");
    const cell = this.series(labels);
    return cell.h.count === 0 ? 0 : cell.h.percentile(p) / this.#scale;
  }
  snapshot(labels?: Labels): HistogramSnapshot {
    return this.#snap(this.series(labels));
  }
  snapshotCell(cell: HdrCell): HistogramSnapshot {
    return this.#snap(cell);
  }
  #snap(cell: HdrCell): HistogramSnapshot {
    const h = cell.h;
    const s = this.#scale;
    if (h.count === 0)
      return { count: 0, sum: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0 };
    return {
      count: h.count,
      sum: cell.sum,
      min: h.min / s,
      max: h.max / s,
      mean: h.mean / s,
      p50: h.percentile(50) / s,
      p90: h.percentile(90) / s,
      p99: h.percentile(99) / s,
      p999: h.percentile(99.9) / s,
    };
  }
  /** The quantile `q` (0..1) of a series; 0 while it is empty, as prom-client's summaries say. */
  quantile(cell: HdrCell, q: number): number {
    return cell.h.count === 0 ? 0 : cell.h.percentile(Math.max(q * 100, 1e-9)) / this.#scale;
  }
  reset(): void {
    for (const s of this.allSeries()) {
      s.state.h.reset();
      s.state.sum = 0;
      s.state.buckets?.fill(0);
    }
  }
}

export type AnyMetric = CounterMetric | GaugeMetric | HistogramMetric;

export function snapshotMetric(m: AnyMetric): MetricSnapshotEntry {
  const series: MetricSnapshotEntry["series"] = [];
  for (const s of m.allSeries()) {
    if (m.type === "histogram")
      series.push({ labels: s.labels, histogram: m.snapshotCell(s.state as HdrCell) });
    else series.push({ labels: s.labels, value: (s.state as Cell).value });
  }
  return { name: m.name, type: m.type, help: m.help, series };
}

// ---- Prometheus text format 0.0.4 ------------------------------------------------------------

function escapeHelp(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** A histogram's samples: cumulative buckets when it has bounds, else summary quantiles. */
function histogramLines(m: HistogramMetric, labels: Labels, cell: HdrCell): string[] {
  const out: string[] = [];
  if (m.buckets !== undefined) {
    const counts = m.cumulativeBuckets(cell);
    const bounds = [...m.buckets.map(String), "+Inf"];
    // prom-client puts `le` before the metric's own labels; we match it byte for byte.
    for (let i = 0; i < bounds.length; i++)
      out.push(`${m.name}_bucket${leLabelText(labels, bounds[i] as string)} ${counts[i]}`);
  } else {
    for (const q of m.quantiles) {
      out.push(
        `${m.name}${labelText(labels, ["quantile", String(q)])} ${formatValue(m.quantile(cell, q))}`,
      );
    }
  }
  out.push(`${m.name}_sum${labelText(labels)} ${formatValue(cell.sum)}`);
  out.push(`${m.name}_count${labelText(labels)} ${formatValue(cell.h.count)}`);
  return out;
}

function leLabelText(labels: Labels, le: string): string {
  const inner = labelText(labels);
  return inner === "" ? `{le="${le}"}` : `{le="${le}",${inner.slice(1)}`;
}

/**
 * Renders metrics in the Prometheus text exposition format. A histogram with buckets is a
 * Prometheus histogram; one without is a summary of its quantiles.
 */
export function renderPrometheus(metrics: Iterable<AnyMetric>): string {
  const families: string[] = [];
  for (const m of metrics) {
    const type = m.type === "histogram" ? (m.buckets ? "histogram" : "summary") : m.type;
    const out = [`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${type}`];
    for (const s of m.allSeries()) {
      if (m.type === "histogram") {
        out.push(...histogramLines(m, s.labels, s.state as HdrCell));
      } else {
        out.push(`${m.name}${labelText(s.labels)} ${formatValue((s.state as Cell).value)}`);
      }
    }
    families.push(out.join("\n"));
  }
  // Families are separated by an empty line (ignored by parsers), as prom-client does.
  return families.length ? `${families.join("\n\n")}\n` : "";
}
