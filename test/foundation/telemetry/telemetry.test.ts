import { createHistogram } from "node:perf_hooks";
import client from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isElixirScopeError, type TelemetryServer } from "../../../src/foundation/index.js";
import {
  type IsolatedFoundation,
  startIsolatedFoundation,
} from "../../../src/foundation/testing/index.js";

let f: IsolatedFoundation;
let t: TelemetryServer;
beforeEach(async () => {
  f = await startIsolatedFoundation();
  t = f.telemetry;
});
afterEach(() => f.stop());

describe("TelemetryServer events", () => {
  it("dispatches to handlers attached to the event, by dotted name or segments", () => {
    const seen: unknown[] = [];
    t.attach("h1", ["app.job.done", ["app", "job", "failed"]], (e, m, meta) =>
      seen.push([e, m, meta]),
    );
    t.execute("app.job.done", { durationMs: 3 }, { job: 1 });
    t.execute(["app", "job", "failed"], { count: 1 });
    t.execute("app.other", { count: 1 });
    expect(seen).toEqual([
      ["app.job.done", { durationMs: 3 }, { job: 1 }],
      ["app.job.failed", { count: 1 }, {}],
    ]);
    expect(t.detach("h1")).toBe(true);
    expect(t.detach("h1")).toBe(false);
    t.execute("app.job.done", {});
    expect(seen).toHaveLength(2);
  });

  it("refuses a duplicate handler id", () => {
    t.attach("h", "x", () => {});
    let err: unknown;
    try {
      t.attach("h", "y", () => {});
    } catch (e) {
      err = e;
    }
    expect(isElixirScopeError(err, "TELEMETRY_HANDLER_EXISTS")).toBe(true);
  });

  it("a throwing handler is detached and reported, and cannot stop the others", () => {
    const seen: string[] = [];
    const failures: unknown[] = [];
    t.attach("bad", "x", () => {
      throw new Error("handler bug");
    });
    t.attach("good", "x", (e) => seen.push(e));
    t.attach("watch", "foundation.telemetry.handler_failed", (_e, _m, meta) =>
      failures.push(meta.handlerId),
    );
    t.execute("x", {});
    t.execute("x", {});
    expect(seen).toEqual(["x", "x"]);
    expect(failures).toEqual(["bad"]);
    expect(t.handlerFailures).toBe(1);
  });

  it("measure emits start, stop and exception with durations, sync and async", async () => {
    const seen: [string, Record<string, number>][] = [];
    t.attach("m", ["job.start", "job.stop", "job.exception"], (e, m) => seen.push([e, { ...m }]));
    expect(t.measure("job", () => 42)).toBe(42);
    await expect(t.measure("job", async () => 7)).resolves.toBe(7);
    expect(() =>
      t.measure("job", () => {
        throw new Error("x");
      }),
    ).toThrow("x");
    await expect(t.measure("job", () => Promise.reject(new Error("y")))).rejects.toThrow("y");
    expect(seen.map(([e]) => e)).toEqual([
      "job.start",
      "job.stop",
      "job.start",
      "job.stop",
      "job.start",
      "job.exception",
      "job.start",
      "job.exception",
    ]);
    for (const [e, m] of seen) {
      if (e !== "job.start") expect(m.durationMs).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("TelemetryServer metrics", () => {
  it("counts, gauges, and keeps series per label set", () => {
    const c = t.counter("jobs_total", { help: "Jobs run", labelNames: ["queue"] });
    c.inc(1, { queue: "a" });
    c.labels({ queue: "a" }).inc(2);
    c.inc(5, { queue: "b" });
    expect(c.value({ queue: "a" })).toBe(3);
    expect(c.value({ queue: "b" })).toBe(5);
    const g = t.gauge("depth", { help: "Queue depth" });
    g.set(10);
    g.dec(3);
    g.inc();
    expect(g.value()).toBe(8);
    expect(() => c.inc(-1, { queue: "a" })).toThrow(/>= 0/);
    expect(() => c.inc(1, { queue: "a", extra: "x" })).toThrow(/do not match/);
    expect(() => c.inc(1)).toThrow(/needs labels/);
  });

  it("histogram percentiles agree with a raw perf_hooks histogram on the same data", () => {
    const h = t.histogram("latency_ms", { help: "Latency" });
    const raw = createHistogram();
    for (let i = 1; i <= 10_000; i++) {
      const ms = (i % 997) / 10; // 0..99.6 ms
      h.record(ms);
      raw.record(Math.max(1, Math.round(ms * 1000)));
    }
    const s = h.snapshot();
    expect(s.count).toBe(10_000);
    expect(s.p50).toBeCloseTo(raw.percentile(50) / 1000, 6);
    expect(s.p99).toBeCloseTo(raw.percentile(99) / 1000, 6);
    expect(s.max).toBeCloseTo(99.6, 1);
    expect(h.percentile(50)).toBeCloseTo(49.8, 0);
    h.reset();
    expect(h.snapshot().count).toBe(0);
  });

  it("re-declaring a metric returns it; another type or labels is a conflict; names are checked", () => {
    const a = t.counter("x_total", { help: "x" });
    expect(t.counter("x_total", { help: "x" })).toBe(a);
    expect(() => t.gauge("x_total", { help: "x" })).toThrow(/already exists/);
    expect(() => t.counter("1bad", { help: "x" })).toThrow(/Invalid metric name/);
    expect(() => t.counter("ok_total", { help: "x", labelNames: ["__x"] })).toThrow(
      /invalid label/,
    );
    expect(() => t.counter("ok2_total", { help: "x", lables: [] } as never)).toThrow(
      /unknown option "lables"/,
    );
  });

  it("snapshots every metric", () => {
    t.counter("a_total", { help: "a" }).inc(2);
    t.histogram("b_ms", { help: "b" }).record(1.5);
    const snap = t.snapshot();
    expect(snap.find((m) => m.name === "a_total")!.series[0]!.value).toBe(2);
    expect(snap.find((m) => m.name === "b_ms")!.series[0]!.histogram!.count).toBe(1);
  });
});

describe("Prometheus exposition", () => {
  it("renders counters and gauges exactly as prom-client does", async () => {
    const reg = new client.Registry();
    const pc = new client.Counter({
      name: "req_total",
      help: 'Requests "served"\nall',
      labelNames: ["path"],
      registers: [reg],
    });
    const pg = new client.Gauge({ name: "temp", help: "Temp \\ C", registers: [reg] });
    pc.inc({ path: 'a"b\\c\nd' }, 3);
    pg.set(-2.5);
    const c = t.counter("req_total", { help: 'Requests "served"\nall', labelNames: ["path"] });
    c.inc(3, { path: 'a"b\\c\nd' });
    t.gauge("temp", { help: "Temp \\ C" }).set(-2.5);
    expect(t.prometheus().trim()).toBe((await reg.metrics()).trim());
  });

  it("renders never-updated metrics exactly as prom-client does (`errors_total 0`)", async () => {
    const reg = new client.Registry();
    new client.Counter({ name: "errors_total", help: "Errors", registers: [reg] });
    new client.Gauge({ name: "queue_depth", help: "Depth", registers: [reg] });
    new client.Counter({
      name: "hits_total",
      help: "Hits",
      labelNames: ["path"],
      registers: [reg],
    });
    new client.Summary({ name: "rt_ms", help: "RT", percentiles: [0.5, 0.99], registers: [reg] });
    t.counter("errors_total", { help: "Errors" });
    t.gauge("queue_depth", { help: "Depth" });
    t.counter("hits_total", { help: "Hits", labelNames: ["path"] });
    t.histogram("rt_ms", { help: "RT", quantiles: [0.5, 0.99] });
    const ours = t.prometheus();
    expect(ours).toContain("\nerrors_total 0\n");
    expect(ours).toBe(await reg.metrics());
  });

  it("gauges refuse values that are not finite, like counters and histograms", () => {
    const g = t.gauge("level", { help: "Level" });
    for (const bad of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]) {
      for (const act of [() => g.set(bad), () => g.inc(bad), () => g.dec(bad)]) {
        let code: unknown;
        try {
          act();
        } catch (e) {
          code = isElixirScopeError(e) ? e.code : e;
        }
        expect(code).toBe("METRIC_INVALID");
      }
    }
    expect(g.value()).toBe(0);
  });

  it("renders histograms as summaries and every line follows the format's grammar", () => {
    const h = t.histogram("rt_ms", { help: "Round trip", labelNames: ["op"] });
    for (let i = 1; i <= 100; i++) h.record(i, { op: "get" });
    t.counter("n_total", { help: "n" });
    const text = t.prometheus();
    expect(text).toContain("# TYPE rt_ms summary");
    expect(text).toContain('rt_ms{op="get",quantile="0.5"} 50');
    expect(text).toContain('rt_ms_sum{op="get"} 5050');
    expect(text).toContain('rt_ms_count{op="get"} 100');
    const sample =
      /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (NaN|[+-]Inf|-?\d+(\.\d+)?(e[+-]?\d+)?)$/;
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    for (const line of lines) {
      if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
      expect(line).toMatch(sample);
    }
  });
});
