import { describe, expect, it } from "vitest";
import {
  CircuitBreaker,
  CircuitOpenError,
  ConnectionPool,
  isElixirScopeError,
  ManualClock,
  PoolTimeoutError,
  protect,
  RateLimitedError,
  RateLimiter,
  RetriesExhaustedError,
  TimeoutError,
} from "../../../src/foundation/index.js";
import { advance, flush } from "./helpers.js";

const never = () => new Promise<never>(() => {});

describe("protect", () => {
  it("rate limit comes first and fails with retry-after, without touching the dependency", async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({
      name: "rl",
      algorithm: "token-bucket",
      rate: 1,
      intervalMs: 1000,
      burst: 1,
      clock,
    });
    let calls = 0;
    const call = protect(
      "search",
      { rateLimit: { limiter }, retry: { attempts: 3, random: () => 0 }, clock },
      async () => ++calls,
    );
    await expect(call({ key: "alice" })).resolves.toBe(1);
    const err = await call({ key: "alice" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(1000);
    await expect(call({ key: "bob" })).resolves.toBe(2);
    expect(calls).toBe(2);
  });

  it("retries failures with backoff and reports exhaustion with the last cause", async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const call = protect(
      "flaky",
      { retry: { attempts: 3, baseDelayMs: 100, jitter: "none" }, clock },
      async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      },
    );
    const p = call().catch((e: unknown) => e);
    await advance(clock, 300, 10);
    const err = await p;
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(isElixirScopeError(err, "RETRIES_EXHAUSTED")).toBe(true);
    expect(((err as Error).cause as Error).message).toBe("fail 3");
    expect(calls).toBe(3);
  });

  it("each attempt is a breaker call; an open breaker ends the retries with CircuitOpenError", async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const call = protect(
      "dep",
      {
        circuitBreaker: { consecutiveFailures: 2, resetTimeoutMs: 5000 },
        retry: { attempts: 5, baseDelayMs: 10, jitter: "none" },
        clock,
      },
      async () => {
        calls++;
        throw new Error("down");
      },
    );
    const p = call().catch((e: unknown) => e);
    await advance(clock, 100, 5);
    const err = await p;
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect((err as CircuitOpenError).retryAfterMs).toBeGreaterThan(4900);
    expect(calls).toBe(2);
    expect(call.breaker?.state.kind).toBe("open");
  });

  it("times out an attempt, aborting its signal, and the breaker counts it", async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ name: "shared", consecutiveFailures: 1, clock });
    let aborted = false;
    const call = protect(
      "slow",
      { circuitBreaker: breaker, timeoutMs: 50, clock },
      ({ signal }) => {
        signal.addEventListener("abort", () => {
          aborted = true;
        });
        return never();
      },
    );
    const p = call().catch((e: unknown) => e);
    await advance(clock, 50, 10);
    expect(await p).toBeInstanceOf(TimeoutError);
    expect(aborted).toBe(true);
    expect(breaker.state.kind).toBe("open");
  });

  it("borrows from the pool per attempt, always releases, and pool timeouts do not trip the breaker", async () => {
    const clock = new ManualClock(0);
    const pool = new ConnectionPool({
      name: "conns",
      factory: { create: () => ({ id: 1 }), destroy: () => {} },
      max: 1,
      acquireTimeoutMs: 20,
      clock,
    });
    const seen: number[] = [];
    const call = protect(
      "db",
      { pool, circuitBreaker: { consecutiveFailures: 1 }, clock },
      async ({ resource }) => {
        seen.push(resource.id);
        return resource.id;
      },
    );
    await expect(call()).resolves.toBe(1);
    const held = await pool.acquire();
    const p = call().catch((e: unknown) => e);
    await advance(clock, 20, 5);
    expect(await p).toBeInstanceOf(PoolTimeoutError);
    expect(call.breaker?.state.kind).toBe("closed");
    pool.release(held);
    await expect(call()).resolves.toBe(1);
    expect(pool.stats()).toMatchObject({ borrowed: 0, idle: 1 });
    expect(seen).toEqual([1, 1]);
  });

  it("passes the caller's abort through every layer", async () => {
    const clock = new ManualClock(0);
    const call = protect("abortable", { timeoutMs: 1000, retry: { attempts: 3 }, clock }, () =>
      never(),
    );
    const ac = new AbortController();
    const p = call({ signal: ac.signal }).catch((e: unknown) => e);
    await flush();
    ac.abort("bye");
    expect(await p).toMatchObject({ code: "ABORTED" });
    expect(clock.pendingTimers).toBe(0);
  });

  it("misconfiguration is an error at setup", () => {
    const fn = async () => 1;
    expect(() => protect("x", {}, fn)).toThrow(/no protection given/);
    expect(() => protect("x", { timeout: 5 } as never, fn)).toThrow(/timeout/);
    expect(() => protect("x", { retry: { attempts: 0 } }, fn)).toThrow(/retry\.attempts/);
    expect(() => protect("x", { circuitBreaker: { consecutiveFailurs: 2 } as never }, fn)).toThrow(
      /consecutiveFailurs/,
    );
    expect(() => protect("x", { pool: {} as never }, fn)).toThrow(/pool/);
    expect(() => protect("x", { circuitBreaker: { name: "other" } as never }, fn)).toThrow(
      /circuitBreaker\.name/,
    );
    expect(() => protect("", { timeoutMs: 1 }, fn)).toThrow(/name/);
  });
});

describe("protect call options", () => {
  it("rejects unknown per-call options by name", async () => {
    const call = protect("x", { timeoutMs: 100 }, async () => 1);
    await expect(call({ keys: "a" } as never)).rejects.toThrow(/keys/);
    await expect(call({ key: "" })).rejects.toThrow(/key/);
    await expect(call({ key: "a" })).resolves.toBe(1);
  });
});
