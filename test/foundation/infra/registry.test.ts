import { describe, expect, it } from "vitest";
import {
  CircuitBreaker,
  ConnectionPool,
  createTestNamespace,
  HealthChecker,
  LruCache,
  ManualClock,
  MemoryManager,
  PerformanceMonitor,
  RateLimiter,
  Registry,
  startIsolatedFoundation,
  type TelemetryEmitter,
} from "../../../src/foundation/index.js";

/** A telemetry sink that keeps what it receives (the core TelemetryService has the same shape). */
function recorder(): TelemetryEmitter & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    execute(event) {
      events.push(typeof event === "string" ? event : event.join("."));
    },
  };
}

describe("infrastructure components as named services", () => {
  it("register in the Foundation registry, answer its health probe, and stop with their namespace", async () => {
    const registry = new Registry();
    const ns = createTestNamespace("infra");
    const clock = new ManualClock(0);
    const telemetry = recorder();
    const breaker = new CircuitBreaker({ name: "payments", clock, telemetry });
    const pool = new ConnectionPool({
      name: "db",
      factory: { create: () => ({}), destroy: () => {} },
      max: 2,
      clock,
    });
    const memory = new MemoryManager({ name: "memory", clock });
    memory.start();
    const components = [
      breaker,
      pool,
      memory,
      new RateLimiter({
        name: "api",
        algorithm: "token-bucket",
        rate: 1,
        intervalMs: 1000,
        burst: 1,
        clock,
      }),
      new HealthChecker({ name: "health", clock }),
      new PerformanceMonitor({ name: "perf", clock, eventLoop: false }),
      new LruCache({ name: "cache", maxEntries: 10 }),
    ];
    for (const c of components) registry.register(ns, `${c.kind}:${c.name}`, c);
    expect(registry.lookup(ns, "circuit_breaker:payments")).toBe(breaker);
    expect((await registry.health(ns, "circuit_breaker:payments")).status).toBe("healthy");
    breaker.open();
    const report = await registry.health(ns, "circuit_breaker:payments");
    expect(report).toMatchObject({
      status: "unhealthy",
      reason: 'breaker "payments" is open (manual)',
    });
    expect(telemetry.events).toContain("foundation.circuit_breaker.state_change");
    await registry.stopNamespace(ns);
    expect(pool.alive).toBe(false);
    expect(memory.alive).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("inside an isolated Foundation", () => {
  it("reports through the core TelemetryService and stops with the Foundation", async () => {
    const f = await startIsolatedFoundation({ label: "infra" });
    const seen: Array<{ event: string; to: unknown }> = [];
    f.telemetry.attach("infra-test", ["foundation.circuit_breaker.state_change"], (event, _m, md) =>
      seen.push({ event, to: md.to }),
    );
    const breaker = new CircuitBreaker({
      name: "search",
      consecutiveFailures: 1,
      telemetry: f.telemetry,
    });
    const pool = new ConnectionPool({
      name: "conns",
      factory: { create: () => ({}), destroy: () => {} },
      max: 1,
      telemetry: f.telemetry,
    });
    f.registry.register(f.namespace, "circuit_breaker:search", breaker);
    f.registry.register(f.namespace, "pool:conns", pool);
    await breaker.execute(() => Promise.reject(new Error("down"))).catch(() => {});
    expect(seen).toEqual([{ event: "foundation.circuit_breaker.state_change", to: "open" }]);
    expect((await f.registry.health(f.namespace, "circuit_breaker:search")).status).toBe(
      "unhealthy",
    );
    await f.stop();
    expect(pool.alive).toBe(false);
  });
});
