import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isElixirScopeError,
  ManualClock,
  RateLimitedError,
  RateLimiter,
  type RateLimitPolicy,
} from "../../../src/foundation/index.js";

describe("RateLimiter (token bucket)", () => {
  const make = (clock: ManualClock) =>
    new RateLimiter({
      name: "api",
      algorithm: "token-bucket",
      rate: 10,
      intervalMs: 1000,
      burst: 5,
      clock,
    });

  it("admits a burst, then refills at the rate, with remaining and retry-after", () => {
    const clock = new ManualClock(0);
    const l = make(clock);
    for (let i = 4; i >= 0; i--)
      expect(l.consume("c1")).toMatchObject({ allowed: true, remaining: i });
    expect(l.consume("c1")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100, limit: 5 });
    clock.advance(99);
    expect(l.consume("c1").allowed).toBe(false);
    clock.advance(1);
    expect(l.consume("c1").allowed).toBe(true);
  });

  it("admits after exactly the retry-after despite float drift (regression)", () => {
    const clock = new ManualClock(0);
    const l = new RateLimiter({
      name: "d",
      algorithm: "token-bucket",
      rate: 1,
      intervalMs: 1512,
      burst: 1,
      clock,
    });
    l.consume("a");
    clock.advance(112);
    const d = l.consume("a");
    expect(d.allowed).toBe(false);
    clock.advance(Math.ceil(d.retryAfterMs));
    expect(l.consume("a").allowed).toBe(true);
  });

  it("keeps separate budgets per key", () => {
    const l = make(new ManualClock(0));
    for (let i = 0; i < 5; i++) l.consume("alice:search");
    expect(l.consume("alice:search").allowed).toBe(false);
    expect(l.consume("bob:search").allowed).toBe(true);
    expect(l.consume("alice:index").allowed).toBe(true);
  });

  it("weighs costs and refuses costs that could never pass", () => {
    const l = make(new ManualClock(0));
    expect(l.consume("k", 3)).toMatchObject({ allowed: true, remaining: 2 });
    expect(l.consume("k", 3)).toMatchObject({ allowed: false, retryAfterMs: 100 });
    expect(() => l.consume("k", 6)).toThrow(/exceeds the capacity 5/);
    expect(() => l.consume("k", 0)).toThrow(/positive integer/);
  });

  it("take throws a typed error with retry-after", () => {
    const l = make(new ManualClock(0));
    for (let i = 0; i < 5; i++) l.take("k");
    const err = (() => {
      try {
        l.take("k");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(isElixirScopeError(err, "RATE_LIMITED")).toBe(true);
    expect((err as RateLimitedError).retryAfterMs).toBe(100);
  });

  it("forgets idle keys once their bucket is full again", () => {
    const clock = new ManualClock(0);
    const l = make(clock);
    for (let i = 0; i < 1000; i++) l.consume(`client-${i}`);
    expect(l.trackedKeys).toBe(1000);
    clock.advance(1000);
    l.consume("late");
    expect(l.trackedKeys).toBe(1);
  });
});

describe("RateLimiter (sliding window)", () => {
  it("admits at most the limit in any window and says when the oldest unit leaves", () => {
    const clock = new ManualClock(0);
    const l = new RateLimiter({
      name: "w",
      algorithm: "sliding-window",
      limit: 3,
      windowMs: 1000,
      clock,
    });
    l.consume("k");
    clock.advance(400);
    l.consume("k");
    l.consume("k");
    expect(l.consume("k")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 600, limit: 3 });
    clock.advance(600);
    expect(l.consume("k")).toMatchObject({ allowed: true, remaining: 0 });
    expect(l.consume("k", 2)).toMatchObject({ allowed: false, retryAfterMs: 400 });
  });

  it("rejects unknown options and mixed policies", () => {
    expect(
      () =>
        new RateLimiter({
          name: "w",
          algorithm: "sliding-window",
          limit: 3,
          windowMs: 1000,
          burst: 2,
        } as never),
    ).toThrow(/burst/);
    expect(() => new RateLimiter({ name: "w", algorithm: "leaky" } as never)).toThrow(/algorithm/);
  });
});

/**
 * The invariant: in any window of length t, admitted units ≤ rate·t + burst. Checked over every
 * pair of admission times (the tightest windows start and end on admissions).
 */
function checkInvariant(policy: RateLimitPolicy, admissions: Array<[number, number]>): boolean {
  const perMs =
    policy.algorithm === "token-bucket"
      ? policy.rate / policy.intervalMs
      : policy.limit / policy.windowMs;
  const burst = policy.algorithm === "token-bucket" ? policy.burst : policy.limit;
  for (let i = 0; i < admissions.length; i++) {
    let units = 0;
    for (let j = i; j < admissions.length; j++) {
      units += admissions[j][1];
      const t = admissions[j][0] - admissions[i][0];
      if (units > perMs * t + burst + 1e-9) return false;
    }
  }
  return true;
}

describe("RateLimiter invariant (property)", () => {
  const policy = fc.oneof(
    fc.record({
      algorithm: fc.constant("token-bucket" as const),
      rate: fc.integer({ min: 1, max: 50 }),
      intervalMs: fc.integer({ min: 1, max: 2000 }),
      burst: fc.integer({ min: 1, max: 20 }),
    }),
    fc.record({
      algorithm: fc.constant("sliding-window" as const),
      limit: fc.integer({ min: 1, max: 20 }),
      windowMs: fc.integer({ min: 1, max: 2000 }),
    }),
  );
  const requests = fc.array(
    fc.record({
      gap: fc.integer({ min: 0, max: 300 }),
      cost: fc.integer({ min: 1, max: 3 }),
      key: fc.constantFrom("a", "b"),
    }),
    { maxLength: 200 },
  );

  it("never admits more than rate × t + burst in any window of length t, per key", () => {
    fc.assert(
      fc.property(policy, requests, (p, reqs) => {
        const clock = new ManualClock(0);
        const limiter = new RateLimiter({ name: "prop", clock, ...p });
        const capacity = p.algorithm === "token-bucket" ? p.burst : p.limit;
        const admitted: Record<string, Array<[number, number]>> = { a: [], b: [] };
        for (const r of reqs) {
          clock.advance(r.gap);
          const cost = Math.min(r.cost, capacity);
          const d = limiter.consume(r.key, cost);
          if (d.allowed) admitted[r.key].push([clock.now(), cost]);
          else if (!(d.retryAfterMs > 0)) return false;
        }
        return checkInvariant(p, admitted.a) && checkInvariant(p, admitted.b);
      }),
      { numRuns: 300 },
    );
  });

  it("a denied request is admitted once its retry-after has passed (nothing else consumed)", () => {
    fc.assert(
      fc.property(policy, requests, (p, reqs) => {
        const clock = new ManualClock(0);
        const limiter = new RateLimiter({ name: "prop", clock, ...p });
        const capacity = p.algorithm === "token-bucket" ? p.burst : p.limit;
        for (const r of reqs) {
          clock.advance(r.gap);
          const cost = Math.min(r.cost, capacity);
          const d = limiter.consume("k", cost);
          if (!d.allowed) {
            clock.advance(Math.ceil(d.retryAfterMs));
            if (!limiter.consume("k", cost).allowed) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
