/**
 * Prometheus metrics of the server, kept in the Foundation's TelemetryService (its metrics and
 * its Prometheus exporter, byte-compatible with prom-client for counters and gauges): request
 * latency by route, the index's size, queue depth and version, event-loop delay, SSE
 * subscribers, throttled requests and the breakers' states. The Foundation's own metrics are
 * served beside them. Durations are in milliseconds, the project's one time unit, and named `_ms`.
 *
 * Request latency is a Prometheus histogram (the Foundation's histogram with buckets:
 * `_bucket{le=...}`, `_sum`, `_count`), so replicas can be aggregated.
 * @packageDocumentation
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { CircuitBreakerStatus, TelemetryService } from "../foundation/index.js";
import type { LiveIndexStatus } from "./live-index.js";

/** What the metrics read at scrape time. */
export interface MetricsSources {
  index: () => { status: LiveIndexStatus; files: number; modules: number; functions: number };
  subscribers: () => number;
  breakers: () => CircuitBreakerStatus[];
}

/** The parts of the Foundation's TelemetryService the metrics use. */
export type MetricsTelemetry = Pick<
  TelemetryService,
  "counter" | "gauge" | "histogram" | "prometheus"
>;

/** The Prometheus text format's content type (version 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const BREAKER_STATE = { closed: 0, "half-open": 1, open: 2 } as const;

/** The server's metrics. */
export class ServerMetrics {
  readonly #telemetry: MetricsTelemetry;
  readonly #sources: MetricsSources;
  readonly #requests: ReturnType<TelemetryService["histogram"]>;
  readonly #throttled: ReturnType<TelemetryService["counter"]>;
  /** Gauges read from the sources at scrape time. */
  readonly #gauges: { gauge: ReturnType<TelemetryService["gauge"]>; read: () => number }[] = [];
  readonly #loopDelay: ReturnType<TelemetryService["gauge"]>;
  readonly #breakers: ReturnType<TelemetryService["gauge"]>;
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });

  constructor(telemetry: MetricsTelemetry, sources: MetricsSources) {
    this.#telemetry = telemetry;
    this.#sources = sources;
    this.#requests = telemetry.histogram("elixirscope_http_request_duration_ms", {
      help: "HTTP request latency in milliseconds, by method, route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
    });
    this.#throttled = telemetry.counter("elixirscope_http_throttled_total", {
      help: "Requests refused by the rate limiter",
      labelNames: ["route"],
    });
    const index = () => sources.index();
    this.#gauge("elixirscope_index_files", "Files in the index", () => index().files);
    this.#gauge("elixirscope_index_modules", "Modules in the index", () => index().modules);
    this.#gauge("elixirscope_index_functions", "Functions in the index", () => index().functions);
    this.#gauge("elixirscope_index_version", "Commits applied to the index", () => {
      return index().status.version;
    });
    this.#gauge("elixirscope_index_queue_depth", "Changed files waiting to be indexed", () => {
      return index().status.backlog;
    });
    this.#gauge(
      "elixirscope_index_analysis_duration_ms",
      "Duration of the last project-analysis update (incremental), ms",
      () => index().status.lastAnalysisMs ?? 0,
    );
    this.#gauge(
      "elixirscope_index_analysis_lag",
      "Commits not yet reflected in the project analysis",
      () => index().status.version - index().status.analysisVersion,
    );
    this.#gauge("elixirscope_sse_subscribers", "Open /api/events streams", sources.subscribers);
    this.#loopDelay = telemetry.gauge("elixirscope_event_loop_delay_ms", {
      help: "Event-loop delay in milliseconds since the previous scrape, by statistic",
      labelNames: ["stat"],
    });
    this.#breakers = telemetry.gauge("elixirscope_breaker_state", {
      help: "Circuit breaker state per dependency (0 closed, 1 half-open, 2 open)",
      labelNames: ["breaker"],
    });
    this.#loop.enable();
  }

  #gauge(name: string, help: string, read: () => number): void {
    this.#gauges.push({ gauge: this.#telemetry.gauge(name, { help }), read });
  }

  /** Records one answered request. */
  request(labels: { method: string; route: string; status: string }, ms: number): void {
    this.#requests.record(ms, labels);
  }

  /** Counts a request refused by the rate limiter. */
  throttled(route: string): void {
    this.#throttled.inc(1, { route });
  }

  /** The Prometheus text exposition, with the gauges read now. */
  text(): string {
    for (const { gauge, read } of this.#gauges) gauge.set(read());
    const h = this.#loop;
    // "quantile" is reserved for summaries; the statistic is a label of its own.
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    for (const q of [50, 90, 99]) this.#loopDelay.set(ms(h.percentile(q)), { stat: `p${q}` });
    this.#loopDelay.set(ms(h.max), { stat: "max" });
    h.reset();
    for (const b of this.#sources.breakers())
      this.#breakers.set(BREAKER_STATE[b.state.kind], { breaker: b.name });
    return this.#telemetry.prometheus();
  }

  /** Stops sampling the event loop. */
  close(): void {
    this.#loop.disable();
  }
}
