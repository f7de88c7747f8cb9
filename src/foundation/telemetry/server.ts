import { reportListenerError } from "../common/emitter.js";
import { ElixirScopeError } from "../errors/error.js";
import { Service, type ServiceOptions } from "../service/service.js";
import {
  type AnyMetric,
  CounterMetric,
  checkLabelNames,
  checkMetricName,
  GaugeMetric,
  HistogramMetric,
  renderPrometheus,
  snapshotMetric,
} from "./metrics.js";
import type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  MetricOptions,
  MetricSnapshotEntry,
  TelemetryEventName,
  TelemetryHandler,
  TelemetryMeasurements,
  TelemetryMetadata,
  TelemetryService,
} from "./types.js";

const EMPTY: TelemetryMetadata = Object.freeze({});
export const HANDLER_FAILED_EVENT = "foundation.telemetry.handler_failed";

function eventName(event: TelemetryEventName): string {
  return typeof event === "string" ? event : event.join(".");
}

interface Attached {
  id: string;
  events: string[];
  handler: TelemetryHandler;
}

/**
 * The TelemetryService, run as a Foundation service (so it is registered, supervised and
 * probed). Emitting and recording are plain synchronous method calls, not mailbox messages:
 * they sit on every hot path, and they touch only this object's maps.
 *
 * Metrics live as long as this instance: a restart starts from zero, and nothing sweeps them
 * away while it runs.
 */
export class TelemetryServer extends Service implements TelemetryService {
  #handlers = new Map<string, Attached>();
  /** Dispatch table: event name to the handlers attached to it (copy-on-write arrays). */
  #byEvent = new Map<string, Attached[]>();
  #metrics = new Map<string, AnyMetric>();
  #suffixes = new Map<string, [string, string, string]>();
  #handlerFailures = 0;

  constructor(options: ServiceOptions = {}) {
    super(options);
  }

  execute(
    event: TelemetryEventName,
    measurements: TelemetryMeasurements,
    metadata?: TelemetryMetadata,
  ): void {
    const name = typeof event === "string" ? event : event.join(".");
    const list = this.#byEvent.get(name);
    if (list === undefined) return;
    const meta = metadata ?? EMPTY;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      try {
        a.handler(name, measurements, meta);
      } catch (error) {
        this.#handlerFailed(a, name, error);
      }
    }
  }

  #handlerFailed(a: Attached, event: string, error: unknown): void {
    this.#handlerFailures++;
    this.detach(a.id);
    reportListenerError(`telemetry handler "${a.id}" on ${event} (now detached)`, error);
    this.execute(HANDLER_FAILED_EVENT, { count: 1 }, { handlerId: a.id, event, error });
  }

  /** Handlers that threw and were detached since start. */
  get handlerFailures(): number {
    return this.#handlerFailures;
  }

  attach(
    handlerId: string,
    events: string | readonly TelemetryEventName[],
    handler: TelemetryHandler,
  ): void {
    if (this.#handlers.has(handlerId)) {
      throw new ElixirScopeError(
        "TELEMETRY_HANDLER_EXISTS",
        `A telemetry handler "${handlerId}" is already attached`,
        {
          context: { handlerId },
        },
      );
    }
    if (typeof handler !== "function") {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        `Telemetry handler "${handlerId}" must be a function`,
      );
    }
    const list: readonly TelemetryEventName[] = typeof events === "string" ? [events] : events;
    const names = [...new Set(list.map(eventName))];
    const a: Attached = { id: handlerId, events: names, handler };
    this.#handlers.set(handlerId, a);
    for (const n of names) this.#byEvent.set(n, [...(this.#byEvent.get(n) ?? []), a]);
  }

  detach(handlerId: string): boolean {
    const a = this.#handlers.get(handlerId);
    if (!a) return false;
    this.#handlers.delete(handlerId);
    for (const n of a.events) {
      const rest = (this.#byEvent.get(n) ?? []).filter((x) => x !== a);
      if (rest.length) this.#byEvent.set(n, rest);
      else this.#byEvent.delete(n);
    }
    return true;
  }

  measure<T>(event: TelemetryEventName, fn: () => T, metadata?: TelemetryMetadata): T {
    const base = eventName(event);
    let names = this.#suffixes.get(base);
    if (!names) {
      names = [`${base}.start`, `${base}.stop`, `${base}.exception`];
      this.#suffixes.set(base, names);
    }
    const [startName, stopName, excName] = names;
    const meta = metadata ?? EMPTY;
    const start = performance.now();
    this.execute(startName, { monotonicTime: start }, meta);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.execute(excName, { durationMs: performance.now() - start }, { ...meta, error });
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          this.execute(stopName, { durationMs: performance.now() - start }, meta);
          return value;
        },
        (error: unknown) => {
          this.execute(excName, { durationMs: performance.now() - start }, { ...meta, error });
          throw error;
        },
      ) as T;
    }
    this.execute(stopName, { durationMs: performance.now() - start }, meta);
    return result;
  }

  counter(name: string, options: MetricOptions): Counter {
    return this.#metric(
      name,
      "counter",
      options,
      () => new CounterMetric(name, options.help, options.labelNames ?? []),
    );
  }

  gauge(name: string, options: MetricOptions): Gauge {
    return this.#metric(
      name,
      "gauge",
      options,
      () => new GaugeMetric(name, options.help, options.labelNames ?? []),
    );
  }

  histogram(name: string, options: HistogramOptions): Histogram {
    return this.#metric(
      name,
      "histogram",
      options,
      () =>
        new HistogramMetric(
          name,
          options.help,
          options.labelNames ?? [],
          options.resolution ?? 0.001,
          options.quantiles ?? [0.5, 0.9, 0.99],
          options.buckets,
        ),
    );
  }

  #metric<M extends AnyMetric>(
    name: string,
    type: M["type"],
    options: HistogramOptions,
    make: () => M,
  ): M {
    const known = new Set([
      "help",
      "labelNames",
      ...(type === "histogram" ? ["resolution", "quantiles", "buckets"] : []),
    ]);
    const unknown = Object.keys(options ?? {}).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new ElixirScopeError(
        "UNKNOWN_OPTION",
        `${type} ${name}: unknown option ${unknown.map((k) => `"${k}"`).join(", ")}`,
        {
          context: { name, keys: unknown },
        },
      );
    }
    if (typeof options.help !== "string") {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        `${type} ${name}: option help must be a string`,
      );
    }
    const existing = this.#metrics.get(name);
    const labelNames = options.labelNames ?? [];
    if (existing) {
      if (existing.type !== type || existing.labelNames.join(",") !== labelNames.join(",")) {
        throw new ElixirScopeError(
          "METRIC_CONFLICT",
          `Metric ${name} already exists as a ${existing.type} with labels [${existing.labelNames.join(", ")}]`,
          { context: { name, type, labelNames } },
        );
      }
      return existing as M;
    }
    checkMetricName(name);
    checkLabelNames(name, labelNames);
    const m = make();
    this.#metrics.set(name, m);
    return m;
  }

  snapshot(): MetricSnapshotEntry[] {
    return [...this.#metrics.values()].map(snapshotMetric);
  }

  prometheus(): string {
    return renderPrometheus(this.#metrics.values());
  }

  protected override terminate(): void {
    this.#byEvent.clear();
    this.#handlers.clear();
  }
}
