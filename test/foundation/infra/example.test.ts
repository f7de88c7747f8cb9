import { describe, expect, it } from "vitest";
import { runExample } from "../../../examples/resilience/flaky-http.js";

describe("docs/RESILIENCE.md example: a protected flaky HTTP call", () => {
  it("retries through flakiness, fails fast during the outage, and recovers", async () => {
    const s = await runExample();
    // Phase 1: every 4th answer is a 503 and some hang, but retries make most calls succeed.
    expect(s.outcomes["flaky:ok"]).toBeGreaterThanOrEqual(15);
    // Phase 2: the breaker opens and later calls fail fast without reaching the server.
    expect(s.outcomes["down:CIRCUIT_OPEN"]).toBeGreaterThan(0);
    expect(s.breakerTransitions[0]).toBe("closed->open (consecutive-failures)");
    // Phase 3: a probe succeeds and the breaker closes.
    expect(s.breakerTransitions).toContain("half-open->closed (probe-succeeded)");
    expect(s.finalState).toBe("closed");
    expect(s.outcomes["recovered:ok"]).toBe(10);
    expect(s.statusPage).toMatch(/^readiness HEALTHY/);
  });
});
