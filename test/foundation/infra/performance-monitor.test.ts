import { describe, expect, it } from "vitest";
import {
  ManualClock,
  type PerformanceAlert,
  PerformanceMonitor,
} from "../../../src/foundation/index.js";

describe("PerformanceMonitor", () => {
  it("keeps per-operation percentiles, throughput and error rate per window", () => {
    const clock = new ManualClock(0);
    const m = new PerformanceMonitor({ name: "pm", windowMs: 1000, clock, eventLoop: false });
    const q = m.operation("query");
    for (let i = 1; i <= 100; i++) q.record(i, i % 10 !== 0);
    clock.advance(1000);
    const s = m.snapshot();
    const w = s.operations.query.lastWindow;
    expect(w).toMatchObject({ count: 100, errors: 10, errorRate: 0.1, throughputPerSec: 100 });
    expect(w?.latency.p50).toBeCloseTo(50, 1);
    expect(w?.latency.p90).toBeCloseTo(90, 1);
    expect(w?.latency.p99).toBeCloseTo(99, 1);
    expect(w?.latency.max).toBe(100);
    expect(s.operations.query.total).toMatchObject({ count: 100, errors: 10 });
  });

  it("alerts on thresholds and on baselines when a window closes, and clears them", () => {
    const clock = new ManualClock(0);
    const m = new PerformanceMonitor({
      name: "pm",
      windowMs: 1000,
      clock,
      eventLoop: false,
      thresholds: [
        { operation: "*", metric: "errorRate", above: 0.5 },
        { operation: "query", metric: "p99", baselineFactor: 2 },
      ],
    });
    const alerts: PerformanceAlert[] = [];
    m.onAlert((a) => alerts.push(a));
    for (let i = 0; i < 10; i++) m.record("query", 10);
    clock.advance(1000);
    m.setBaseline("query");
    expect(m.snapshot().operations.query.baseline.p99).toBeCloseTo(10, 1);
    for (let i = 0; i < 10; i++) m.record("query", 30, false);
    clock.advance(1000);
    expect(m.health().status).toBe("degraded");
    expect(alerts.map((a) => `${a.metric}:${a.rule}`).sort()).toEqual([
      "errorRate:above",
      "p99:baseline",
    ]);
    for (let i = 0; i < 10; i++) m.record("query", 10);
    clock.advance(1000);
    expect(m.health().status).toBe("healthy");
  });

  it("reports event-loop delay and utilization while started", async () => {
    const m = new PerformanceMonitor({ name: "pm" });
    m.start();
    const until = Date.now() + 60;
    while (Date.now() < until) {
      // busy: the loop is blocked, so delay and utilization rise
    }
    await new Promise((r) => setTimeout(r, 30));
    const s = m.snapshot();
    expect(s.eventLoop?.utilization).toBeGreaterThan(0);
    expect(s.eventLoop?.delay.max).toBeGreaterThan(0);
    await m.stop();
    expect(m.snapshot().eventLoop).toBeNull();
  });

  it("rejects thresholds without a limit and unknown options", () => {
    expect(
      () => new PerformanceMonitor({ name: "x", thresholds: [{ operation: "*", metric: "p99" }] }),
    ).toThrow(/above, below/);
    expect(() => new PerformanceMonitor({ name: "x", window: 5 } as never)).toThrow(/window/);
  });
});
