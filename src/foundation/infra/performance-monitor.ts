/**
 * Performance monitor: per-operation latency histograms (HDR), throughput and error rate per
 * window, baselines and threshold alerts, event-loop delay and utilization, and a snapshot.
 *
 * Window ends are marked by one monitor-wide timer that is armed by activity and not re-armed
 * while idle; a record only compares two integers to know its window is over, so recording
 * reads no clock. Alerts are evaluated when a window closes.
 * @packageDocumentation
 */
import {
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  performance,
} from "node:perf_hooks";
import { z } from "zod";
import { systemClock, type TimerClock, type TimerHandle } from "../clock.js";
import { Emitter, type Event } from "../common/emitter.js";
import { clockSchema, countSchema, positiveMsSchema, telemetrySchema } from "../common/schemas.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { LatencyHistogram, type LatencySnapshot } from "./histogram.js";
import { type ComponentHealth, emitTelemetry, type InfraComponent } from "./telemetry.js";

/** Metrics a threshold or baseline can watch. */
export type WatchedMetric = "p50" | "p90" | "p99" | "max" | "errorRate" | "throughputPerSec";

/** One closed window of one operation. */
export interface WindowStats {
  readonly operation: string;
  /** Epoch ms of the window's start. */
  readonly start: number;
  readonly durationMs: number;
  readonly count: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly throughputPerSec: number;
  readonly latency: LatencySnapshot;
}

/** A rule checked whenever a window closes. */
export interface Threshold {
  /** Operation name, or `"*"` for every operation. */
  readonly operation: string;
  readonly metric: WatchedMetric;
  /** Alert when the value exceeds this. */
  readonly above?: number;
  /** Alert when the value falls below this (e.g. throughput). */
  readonly below?: number;
  /** Alert when the value exceeds the operation's baseline for the metric times this factor. */
  readonly baselineFactor?: number;
  /** Windows with fewer calls are not judged (default 1). */
  readonly minCount?: number;
}

/** Fired when a threshold is crossed. */
export interface PerformanceAlert {
  readonly operation: string;
  readonly metric: WatchedMetric;
  readonly value: number;
  readonly limit: number;
  readonly rule: "above" | "below" | "baseline";
  readonly window: WindowStats;
}

/** Records one operation's outcomes; get one with {@link PerformanceMonitor.operation}. */
export interface OperationRecorder {
  /** Records a duration in ms and whether the call succeeded. */
  record(durationMs: number, ok?: boolean): void;
  /** Runs `fn`, timing it with `performance.now()` and recording failure if it throws or rejects. */
  time<T>(fn: () => Promise<T>): Promise<T>;
}

/** The monitor's view of everything, for dashboards and the HTTP API. */
export interface PerformanceSnapshot {
  readonly name: string;
  readonly at: number;
  readonly eventLoop: {
    readonly delay: {
      readonly p50: number;
      readonly p99: number;
      readonly max: number;
      readonly mean: number;
    };
    readonly utilization: number;
  } | null;
  readonly operations: Record<
    string,
    {
      readonly total: LatencySnapshot & { readonly errors: number };
      readonly lastWindow: WindowStats | null;
      readonly baseline: Partial<Record<WatchedMetric, number>>;
    }
  >;
  readonly activeAlerts: readonly PerformanceAlert[];
}

const metricSchema = z.enum(["p50", "p90", "p99", "max", "errorRate", "throughputPerSec"]);
const thresholdSchema = z
  .strictObject({
    operation: z.string().min(1),
    metric: metricSchema,
    above: z.number().finite().optional(),
    below: z.number().finite().optional(),
    baselineFactor: z.number().finite().positive().optional(),
    minCount: countSchema.optional(),
  })
  .refine((t) => t.above !== undefined || t.below !== undefined || t.baselineFactor !== undefined, {
    message: "a threshold needs above, below or baselineFactor",
  });
const optionsSchema = z.strictObject({
  name: z.string().min(1),
  /** Length of a measurement window in ms (default 10 000). */
  windowMs: positiveMsSchema.optional(),
  /** Closed windows kept per operation (default 6). */
  history: countSchema.max(1000).optional(),
  thresholds: z.array(thresholdSchema).readonly().optional(),
  /** Sample event-loop delay while started (default true). */
  eventLoop: z.boolean().optional(),
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
});
/** Options of {@link PerformanceMonitor}. Unknown keys are rejected. */
export type PerformanceMonitorOptions = z.input<typeof optionsSchema>;

class Operation implements OperationRecorder {
  readonly total = new LatencyHistogram();
  window = new LatencyHistogram();
  windowStart: number;
  epoch: number;
  windowCount = 0;
  windowErrors = 0;
  totalErrors = 0;
  readonly history: WindowStats[] = [];
  baseline: Partial<Record<WatchedMetric, number>> = {};

  constructor(
    readonly name: string,
    readonly monitor: PerformanceMonitor,
    now: number,
    epoch: number,
  ) {
    this.windowStart = now;
    this.epoch = epoch;
  }

  record(durationMs: number, ok = true): void {
    if (this.epoch !== this.monitor.epoch) this.monitor.roll(this);
    if (!this.monitor.armed) this.monitor.arm();
    this.window.record(durationMs);
    this.windowCount++;
    if (!ok) {
      this.windowErrors++;
      this.totalErrors++;
    }
  }

  async time<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      const result = await fn();
      this.record(performance.now() - t0, true);
      return result;
    } catch (error) {
      this.record(performance.now() - t0, false);
      throw error;
    }
  }
}

/** Latency, throughput, errors and event-loop health per operation. */
export class PerformanceMonitor implements InfraComponent {
  readonly kind = "performance_monitor";
  readonly name: string;
  readonly #windowMs: number;
  readonly #historySize: number;
  readonly #thresholds: readonly Threshold[];
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  readonly #ops = new Map<string, Operation>();
  readonly #useEventLoop: boolean;
  #loopDelay: IntervalHistogram | undefined;
  #elu: EventLoopUtilization | undefined;
  #running = false;
  #stopped = false;
  /** Incremented when a window ends; an operation whose epoch differs has a window to close. */
  epoch = 0;
  #epochAt = 0;
  #windowTimer: TimerHandle | undefined;
  #activeAlerts = new Map<string, PerformanceAlert>();
  readonly #alerts = new Emitter<PerformanceAlert>("performance alert");
  readonly #windows = new Emitter<WindowStats>("performance window");

  /** Fired when a closed window crosses a threshold. */
  readonly onAlert: Event<PerformanceAlert> = this.#alerts.event;
  /** Fired for every closed window. */
  readonly onWindow: Event<WindowStats> = this.#windows.event;

  /** @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) on bad options. */
  constructor(options: PerformanceMonitorOptions) {
    const o = parseOptions(optionsSchema, options, "PerformanceMonitor");
    this.name = o.name;
    this.#windowMs = o.windowMs ?? 10_000;
    this.#historySize = o.history ?? 6;
    this.#thresholds = o.thresholds ?? [];
    this.#useEventLoop = o.eventLoop ?? true;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
  }

  /** Alive until stopped (recording works without starting; start only adds event-loop sampling). */
  get alive(): boolean {
    return !this.#stopped;
  }

  /** Starts event-loop sampling (operations can be recorded without starting). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopped = false;
    if (this.#useEventLoop) {
      this.#loopDelay = monitorEventLoopDelay({ resolution: 10 });
      this.#loopDelay.enable();
      this.#elu = performance.eventLoopUtilization();
    }
  }

  /** Stops event-loop sampling. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    this.#windowTimer?.cancel();
    this.#windowTimer = undefined;
    this.#loopDelay?.disable();
    this.#loopDelay = undefined;
    this.#elu = undefined;
  }

  /** The recorder of one operation (created on first use; keep it on hot paths). */
  operation(name: string): OperationRecorder {
    let op = this.#ops.get(name);
    if (!op) {
      if (typeof name !== "string" || name.length === 0) {
        throw new RangeError(
          `PerformanceMonitor "${this.name}": operation name must be a non-empty string`,
        );
      }
      op = new Operation(name, this, this.#clock.now(), this.epoch);
      this.#ops.set(name, op);
    }
    return op;
  }

  /** Records one outcome of `operation`. */
  record(operation: string, durationMs: number, ok = true): void {
    this.operation(operation).record(durationMs, ok);
  }

  /** Sets (or, with no values, captures from the last closed window) an operation's baseline. */
  setBaseline(operation: string, values?: Partial<Record<WatchedMetric, number>>): void {
    const op = this.operation(operation) as Operation;
    if (values) {
      op.baseline = { ...values };
      return;
    }
    this.roll(op);
    const last = op.history[op.history.length - 1];
    if (!last)
      throw new RangeError(
        `PerformanceMonitor "${this.name}": no closed window of "${operation}" to take a baseline from`,
      );
    op.baseline = metricsOf(last);
  }

  /** @internal Whether the window timer is running. */
  get armed(): boolean {
    return this.#windowTimer !== undefined;
  }

  /** @internal Starts the timer that ends the current window (activity re-arms it). */
  arm(): void {
    if (this.#windowTimer) return;
    this.#windowTimer = this.#clock.setTimeout(
      () => {
        this.#windowTimer = undefined;
        this.#epochAt = this.#clock.now();
        this.epoch++;
      },
      this.#windowMs,
      { background: true },
    ); // window rotation is housekeeping
  }

  /** @internal Closes the current window of `op` if a window end has passed since it began. */
  roll(op: Operation): void {
    if (op.epoch === this.epoch) return;
    const end = Math.max(this.#epochAt, op.windowStart);
    const durationMs = Math.max(end - op.windowStart, 1e-9);
    const stats: WindowStats = {
      operation: op.name,
      start: op.windowStart,
      durationMs: end - op.windowStart,
      count: op.windowCount,
      errors: op.windowErrors,
      errorRate: op.windowCount === 0 ? 0 : op.windowErrors / op.windowCount,
      throughputPerSec: (op.windowCount * 1000) / durationMs,
      latency: op.window.snapshot(),
    };
    op.total.add(op.window);
    op.window.reset();
    op.epoch = this.epoch;
    // Time between the window's end and now had no traffic; the next window starts now.
    op.windowStart = this.#clock.now();
    op.windowCount = 0;
    op.windowErrors = 0;
    op.history.push(stats);
    if (op.history.length > this.#historySize) op.history.shift();
    this.#windows.emit(stats);
    emitTelemetry(
      this.#telemetry,
      this.kind,
      "window",
      { ...metricsOf(stats), count: stats.count },
      { monitor: this.name, operation: op.name },
    );
    this.#judge(op, stats);
  }

  #judge(op: Operation, stats: WindowStats): void {
    const values = metricsOf(stats);
    for (const t of this.#thresholds) {
      if (t.operation !== "*" && t.operation !== op.name) continue;
      const key = `${op.name}\u0000${t.metric}\u0000${t.above}\u0000${t.below}\u0000${t.baselineFactor}`;
      if (stats.count < (t.minCount ?? 1)) continue;
      const value = values[t.metric];
      let alert: PerformanceAlert | undefined;
      if (t.above !== undefined && value > t.above)
        alert = {
          operation: op.name,
          metric: t.metric,
          value,
          limit: t.above,
          rule: "above",
          window: stats,
        };
      else if (t.below !== undefined && value < t.below)
        alert = {
          operation: op.name,
          metric: t.metric,
          value,
          limit: t.below,
          rule: "below",
          window: stats,
        };
      else if (t.baselineFactor !== undefined && op.baseline[t.metric] !== undefined) {
        const limit = (op.baseline[t.metric] as number) * t.baselineFactor;
        if (value > limit)
          alert = {
            operation: op.name,
            metric: t.metric,
            value,
            limit,
            rule: "baseline",
            window: stats,
          };
      }
      if (alert) {
        this.#activeAlerts.set(key, alert);
        this.#alerts.emit(alert);
        emitTelemetry(
          this.#telemetry,
          this.kind,
          "alert",
          { value: alert.value, limit: alert.limit },
          {
            monitor: this.name,
            operation: op.name,
            metric: t.metric,
            rule: alert.rule,
          },
        );
      } else this.#activeAlerts.delete(key);
    }
  }

  /** Everything the monitor knows right now (rolls finished windows first). */
  snapshot(): PerformanceSnapshot {
    const operations: Record<string, PerformanceSnapshot["operations"][string]> = {};
    for (const op of this.#ops.values()) {
      this.roll(op);
      operations[op.name] = {
        total: { ...totalOf(op), errors: op.totalErrors },
        lastWindow: op.history[op.history.length - 1] ?? null,
        baseline: { ...op.baseline },
      };
    }
    let eventLoop: PerformanceSnapshot["eventLoop"] = null;
    if (this.#loopDelay && this.#elu) {
      const d = this.#loopDelay;
      const nsToMs = (v: number): number => (Number.isFinite(v) ? v / 1e6 : 0);
      eventLoop = {
        delay: {
          p50: nsToMs(d.percentile(50)),
          p99: nsToMs(d.percentile(99)),
          max: nsToMs(d.max),
          mean: nsToMs(d.mean),
        },
        utilization: performance.eventLoopUtilization(this.#elu).utilization,
      };
    }
    return {
      name: this.name,
      at: this.#clock.now(),
      eventLoop,
      operations,
      activeAlerts: [...this.#activeAlerts.values()],
    };
  }

  /** Closed windows of one operation, oldest first. */
  history(operation: string): readonly WindowStats[] {
    const op = this.#ops.get(operation);
    if (!op) return [];
    this.roll(op);
    return [...op.history];
  }

  /** Degraded while any threshold is crossed in the latest window. */
  health(): ComponentHealth {
    for (const op of this.#ops.values()) this.roll(op);
    const alerts = [...this.#activeAlerts.values()];
    const details = { operations: this.#ops.size, activeAlerts: alerts.length };
    if (alerts.length === 0) return { status: "healthy", details };
    return {
      status: "degraded",
      reason: alerts
        .map(
          (a) =>
            `${a.operation} ${a.metric} ${a.value} ${a.rule === "below" ? "<" : ">"} ${a.limit}`,
        )
        .join("; "),
      details,
    };
  }
}

/** All-time latency: closed windows plus the open one. */
function totalOf(op: Operation): LatencySnapshot {
  if (op.windowCount === 0) return op.total.snapshot();
  const merged = new LatencyHistogram();
  merged.add(op.total);
  merged.add(op.window);
  return merged.snapshot();
}

function metricsOf(w: WindowStats): Record<WatchedMetric, number> {
  return {
    p50: w.latency.p50,
    p90: w.latency.p90,
    p99: w.latency.p99,
    max: w.latency.max,
    errorRate: w.errorRate,
    throughputPerSec: w.throughputPerSec,
  };
}
