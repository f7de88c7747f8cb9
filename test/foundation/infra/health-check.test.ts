import { describe, expect, it } from "vitest";
import {
  CircuitBreaker,
  HealthChecker,
  healthToJSON,
  ManualClock,
  renderHealthText,
} from "../../../src/foundation/index.js";
import { advance } from "./helpers.js";

describe("HealthChecker", () => {
  it("aggregates readiness into healthy, degraded or unhealthy with reasons", async () => {
    const h = new HealthChecker({ name: "app" });
    h.register({ name: "db", check: () => true });
    h.register({
      name: "cache",
      critical: false,
      check: () => ({ status: "unhealthy", reason: "connection refused" }),
    });
    h.register({ name: "proc", kind: "liveness", check: () => undefined });
    const ready = await h.run("readiness");
    expect(ready.status).toBe("degraded");
    expect(ready.reasons).toEqual(["cache: connection refused"]);
    expect(ready.checks.map((c) => c.name)).toEqual(["cache", "db"]);
    const live = await h.run("liveness");
    expect(live).toMatchObject({ status: "healthy", kind: "liveness" });
    h.register({ name: "search", check: () => Promise.reject(new Error("index missing")) });
    const broken = await h.run();
    expect(broken.status).toBe("unhealthy");
    expect(broken.reasons).toContain("search: index missing");
    expect(h.history().map((s) => s.status)).toEqual(["degraded", "healthy", "unhealthy"]);
  });

  it("gives each check its own timeout", async () => {
    const clock = new ManualClock(0);
    const h = new HealthChecker({ name: "app", clock });
    h.register({ name: "slow", timeoutMs: 100, check: () => new Promise(() => {}) });
    h.register({ name: "fast", timeoutMs: 10, check: () => true });
    const p = h.run();
    await advance(clock, 100, 10);
    const s = await p;
    expect(s.checks.find((c) => c.name === "slow")?.reason).toMatch(/did not answer within 100 ms/);
    expect(s.checks.find((c) => c.name === "fast")?.status).toBe("healthy");
    expect(clock.pendingTimers).toBe(0);
  });

  it("skips checks whose dependency is unhealthy and rejects cycles", async () => {
    const h = new HealthChecker({ name: "app" });
    let ran = false;
    h.register({ name: "network", kind: "both", check: () => false });
    h.register({ name: "db", dependsOn: ["network"], check: () => true });
    h.register({
      name: "api",
      dependsOn: ["db"],
      check: () => {
        ran = true;
        return true;
      },
    });
    const s = await h.run();
    expect(ran).toBe(false);
    expect(s.checks.find((c) => c.name === "api")).toMatchObject({
      status: "unhealthy",
      skippedBecause: "db",
    });
    expect(() => h.register({ name: "x", dependsOn: ["y"], check: () => true })).not.toThrow();
    expect(() => h.register({ name: "y", dependsOn: ["x"], check: () => true })).toThrow(
      /cycle y -> x -> y/,
    );
  });

  it("registers infrastructure components and renders JSON and text", async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ name: "payments", clock });
    const h = new HealthChecker({ name: "app", clock });
    h.registerComponent(breaker);
    breaker.open();
    const s = await h.run();
    expect(s.status).toBe("unhealthy");
    expect(JSON.parse(healthToJSON(s)).checks[0]).toMatchObject({
      name: "circuit_breaker:payments",
      status: "unhealthy",
    });
    const text = renderHealthText(s);
    expect(text).toMatch(/^readiness UNHEALTHY at 1970-01-01T00:00:00.000Z/);
    expect(text).toMatch(
      /\[FAIL\] circuit_breaker:payments .* breaker "payments" is open \(manual\)/,
    );
  });

  it("rejects unknown keys in a check definition", () => {
    const h = new HealthChecker({ name: "app" });
    expect(() => h.register({ name: "x", check: () => true, timeout: 5 } as never)).toThrow(
      /timeout/,
    );
  });
});
