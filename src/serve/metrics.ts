/**
 * Prometheus metrics of the server (prom-client, one registry per server): request latency
 * histograms by route, the index's size, queue depth and version, event-loop delay, SSE
 * subscribers, throttled requests and the breakers' states. Durations are in milliseconds, the
 * project's one time unit, and named `_ms`.
 * @packageDocumentation
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CircuitBreakerStatus } from "../foundation/index.js";
import type { LiveIndexStatus } from "./live-index.js";

/** What the metrics read at scrape time. */
export interface MetricsSources {
  index: () => { status: LiveIndexStatus; files: number; modules: number; functions: number };
  subscribers: () => number;
  breakers: () => CircuitBreakerStatus[];
}

const BREAKER_STATE = { closed: 0, "half-open": 1, open: 2 } as const;

/** The server's metrics. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Histogram<"method" | "route" | "status">;
  readonly throttled: Counter<"route">;
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Histogram({
      name: "elixirscope_http_request_duration_ms",
      help: "HTTP request latency in milliseconds, by method, route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    });
    this.throttled = new Counter({
      name: "elixirscope_http_throttled_total",
      help: "Requests refused by the rate limiter",
      labelNames: ["route"],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge("elixirscope_index_files", "Files in the index", () => sources.index().files);
    gauge("elixirscope_index_modules", "Modules in the index", () => sources.index().modules);
    gauge("elixirscope_index_functions", "Functions in the index", () => sources.index().functions);
    gauge(
      "elixirscope_index_version",
      "Commits applied to the index",
      () => sources.index().status.version,
    );
    gauge(
      "elixirscope_index_queue_depth",
      "Changed files waiting to be indexed",
      () => sources.index().status.backlog,
    );
    gauge(
      "elixirscope_index_analysis_duration_ms",
      "Duration of the last project analysis (findings, graphs), ms",
      () => sources.index().status.lastAnalysisMs ?? 0,
    );
    gauge(
      "elixirscope_index_analysis_lag",
      "Commits not yet reflected in the project analysis",
      () => sources.index().status.version - sources.index().status.analysisVersion,
    );
    gauge("elixirscope_sse_subscribers", "Open /api/events streams", sources.subscribers);
    new Gauge({
      name: "elixirscope_event_loop_delay_ms",
      help: "Event-loop delay in milliseconds since the previous scrape",
      labelNames: ["quantile"],
      registers,
      collect: () => {
        const h = this.#loop;
        const g = this.registry.getSingleMetric(
          "elixirscope_event_loop_delay_ms",
        ) as Gauge<"quantile">;
        for (const q of [0.5, 0.9, 0.99])
          g.set({ quantile: String(q) }, h.percentile(q * 100) / 1e6);
        g.set({ quantile: "max" }, h.max / 1e6);
        h.reset();
      },
    });
    new Gauge({
      name: "elixirscope_breaker_state",
      help: "Circuit breaker state per dependency (0 closed, 1 half-open, 2 open)",
      labelNames: ["breaker"],
      registers,
      collect() {
        for (const b of sources.breakers())
          this.set({ breaker: b.name }, BREAKER_STATE[b.state.kind]);
      },
    });
    this.#loop.enable();
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stops sampling the event loop. */
  close(): void {
    this.#loop.disable();
  }
}
