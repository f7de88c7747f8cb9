/**
 * The telemetry contract every layer codes against. Event names are dotted strings
 * ("foundation.registry.lookup"); measurements are numbers (durations in ms); metadata is free.
 */

export type TelemetryMeasurements = Readonly<Record<string, number>>;
export type TelemetryMetadata = Readonly<Record<string, unknown>>;

export type TelemetryHandler = (
  event: string,
  measurements: TelemetryMeasurements,
  metadata: TelemetryMetadata,
) => void;

export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  /** Adds `value` (default 1, must be >= 0). */
  inc(value?: number, labels?: Labels): void;
  /** A child bound to one label set: the fast way to count on a hot path. */
  labels(labels: Labels): { inc(value?: number): void };
  value(labels?: Labels): number;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  inc(value?: number, labels?: Labels): void;
  dec(value?: number, labels?: Labels): void;
  labels(labels: Labels): {
    set(value: number): void;
    inc(value?: number): void;
    dec(value?: number): void;
  };
  value(labels?: Labels): number;
}

export interface HistogramSnapshot {
  count: number;
  /** Sum of recorded values, in the histogram's unit (ms for durations). */
  sum: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

export interface Histogram {
  /** Records one value (for durations: ms, fractional allowed). */
  record(value: number, labels?: Labels): void;
  labels(labels: Labels): { record(value: number): void };
  /** The value at percentile `p` (0..100). */
  percentile(p: number, labels?: Labels): number;
  snapshot(labels?: Labels): HistogramSnapshot;
  reset(): void;
}

export interface MetricOptions {
  help: string;
  /** Label names allowed on this metric (values given at record time). */
  labelNames?: readonly string[];
}

export interface HistogramOptions extends MetricOptions {
  /**
   * The smallest distinguishable value, in the histogram's unit. Default 0.001 (1 µs when the
   * unit is ms). Values are stored as integer multiples of it, with 3 significant digits (HDR).
   */
  resolution?: number;
  /** Quantiles exposed to Prometheus (0..1). Default [0.5, 0.9, 0.99]. */
  quantiles?: readonly number[];
  /**
   * Upper bounds (strictly increasing, finite, in the histogram's unit) of cumulative buckets.
   * When given, Prometheus sees a `histogram` (`_bucket{le=...}`, `_sum`, `_count`), which can be
   * aggregated across replicas; without them it sees a `summary` of `quantiles`. Percentiles and
   * snapshots come from the HDR histogram either way.
   */
  buckets?: readonly number[];
}

export interface MetricSnapshotEntry {
  name: string;
  type: "counter" | "gauge" | "histogram";
  help: string;
  series: { labels: Labels; value?: number; histogram?: HistogramSnapshot }[];
}

/**
 * An event name: a dotted string ("foundation.registry.lookup"), or its segments
 * (["foundation", "registry", "lookup"]), which are joined with "." before dispatch.
 */
export type TelemetryEventName = string | readonly string[];

/** Emitting only: what a component needs to report what it did. */
export interface TelemetryEmitter {
  execute(
    event: TelemetryEventName,
    measurements: TelemetryMeasurements,
    metadata?: TelemetryMetadata,
  ): void;
}

export interface TelemetryService extends TelemetryEmitter {
  /**
   * Attaches `handler` to one or more event names under a unique id. A handler that throws is
   * detached (its failure reported as `foundation.telemetry.handler_failed`) and never stops the
   * others or the emitter. `events` is one dotted name or a list of names (each dotted or as
   * segments).
   */
  attach(
    handlerId: string,
    events: string | readonly TelemetryEventName[],
    handler: TelemetryHandler,
  ): void;
  /** Detaches a handler; false when no handler had that id. */
  detach(handlerId: string): boolean;
  /**
   * Runs `fn`, emitting `<event>.start`, then `<event>.stop` with `{durationMs}` or
   * `<event>.exception` with `{durationMs}` and `{error}` metadata (and rethrows). Works for sync
   * and async functions.
   */
  measure<T>(event: TelemetryEventName, fn: () => T, metadata?: TelemetryMetadata): T;
  counter(name: string, options: MetricOptions): Counter;
  gauge(name: string, options: MetricOptions): Gauge;
  histogram(name: string, options: HistogramOptions): Histogram;
  /** All metrics, current values. */
  snapshot(): MetricSnapshotEntry[];
  /** Prometheus text exposition format 0.0.4. */
  prometheus(): string;
}
