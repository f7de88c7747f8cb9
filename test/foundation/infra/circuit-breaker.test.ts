import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  CircuitBreaker,
  CircuitOpenError,
  isElixirScopeError,
  ManualClock,
  type StateChangeEvent,
  TimeoutError,
} from "../../../src/foundation/index.js";
import { advance } from "./helpers.js";

const boom = () => Promise.reject(new Error("boom"));
const ok = () => Promise.resolve("ok");

function breaker(clock: ManualClock, extra: Record<string, unknown> = {}) {
  return new CircuitBreaker({
    name: "dep",
    clock,
    consecutiveFailures: 3,
    resetTimeoutMs: 1000,
    ...extra,
  });
}

describe("CircuitBreaker", () => {
  it("opens after N consecutive failures and fails fast with the retry time", async () => {
    const clock = new ManualClock(10_000);
    const b = breaker(clock);
    const changes: StateChangeEvent[] = [];
    b.onStateChange((e) => changes.push(e));
    for (let i = 0; i < 3; i++) await expect(b.execute(boom)).rejects.toThrow("boom");
    expect(b.state.kind).toBe("open");
    let ran = false;
    const err = await b
      .execute(async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect((err as CircuitOpenError).retryAfterMs).toBe(1000);
    expect(isElixirScopeError(err, "CIRCUIT_OPEN")).toBe(true);
    expect((err as CircuitOpenError).retryAt).toBe(11_000);
    expect(changes.map((c) => `${c.from}->${c.to}:${c.reason}`)).toEqual([
      "closed->open:consecutive-failures",
    ]);
  });

  it("a success resets the consecutive count", async () => {
    const b = breaker(new ManualClock(0));
    await b.execute(boom).catch(() => {});
    await b.execute(boom).catch(() => {});
    await b.execute(ok);
    await b.execute(boom).catch(() => {});
    await b.execute(boom).catch(() => {});
    expect(b.state.kind).toBe("closed");
  });

  it("goes half-open after the reset timeout; a probe success closes it", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock);
    for (let i = 0; i < 3; i++) await b.execute(boom).catch(() => {});
    clock.advance(999);
    expect(b.state.kind).toBe("open");
    clock.advance(1);
    expect(b.state.kind).toBe("half-open");
    await expect(b.execute(ok)).resolves.toBe("ok");
    expect(b.state.kind).toBe("closed");
  });

  it("a probe failure reopens it for another reset timeout", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock);
    for (let i = 0; i < 3; i++) await b.execute(boom).catch(() => {});
    clock.advance(1000);
    await b.execute(boom).catch(() => {});
    const s = b.state;
    expect(s.kind).toBe("open");
    expect(s.kind === "open" && s.reason).toBe("probe-failed");
    expect(s.kind === "open" && s.retryAt).toBe(2000);
  });

  it("trips on failure rate over the window once the minimum volume is reached", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock, {
      consecutiveFailures: 100,
      failureRate: { threshold: 0.5, windowMs: 1000, minimumCalls: 6 },
    });
    // Alternate: 50% failures, but only 4 calls so far, under the minimum.
    for (let i = 0; i < 2; i++) {
      await b.execute(ok);
      await b.execute(boom).catch(() => {});
    }
    expect(b.state.kind).toBe("closed");
    await b.execute(ok);
    await b.execute(boom).catch(() => {});
    expect(b.state.kind).toBe("open");
    expect(b.state.kind === "open" && (b.state as { reason: string }).reason).toBe("failure-rate");
  });

  it("forgets failures that slid out of the window", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock, {
      consecutiveFailures: 100,
      failureRate: { threshold: 0.5, windowMs: 1000, minimumCalls: 4 },
    });
    await b.execute(boom).catch(() => {});
    await b.execute(boom).catch(() => {});
    clock.advance(1500);
    await b.execute(ok);
    await b.execute(ok);
    await b.execute(ok);
    await b.execute(boom).catch(() => {});
    expect(b.status().window).toEqual({ calls: 4, failures: 1, failureRate: 0.25 });
    expect(b.state.kind).toBe("closed");
  });

  it("per-call timeout fails the call, aborts its signal and counts as a failure", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock, { timeoutMs: 50, consecutiveFailures: 1 });
    let aborted = false;
    const p = b.execute(
      (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    );
    const caught = p.catch((e: unknown) => e);
    await advance(clock, 50);
    expect(await caught).toBeInstanceOf(TimeoutError);
    expect(aborted).toBe(true);
    expect(b.state.kind).toBe("open");
    expect(clock.pendingTimers).toBe(0);
  });

  it("error results count as failures when configured, and are still returned", async () => {
    const b = new CircuitBreaker<{ status: number }>({
      name: "http",
      clock: new ManualClock(0),
      consecutiveFailures: 2,
      isResultFailure: (r) => r.status >= 500,
    });
    await expect(b.execute(async () => ({ status: 503 }))).resolves.toEqual({ status: 503 });
    await b.execute(async () => ({ status: 502 }));
    expect(b.state.kind).toBe("open");
  });

  it("caller aborts and custom-excluded errors do not count", async () => {
    const b = new CircuitBreaker({
      name: "x",
      clock: new ManualClock(0),
      consecutiveFailures: 1,
      isFailure: (e) => !(e instanceof TypeError),
    });
    await b.execute(() => Promise.reject(new TypeError("bad input"))).catch(() => {});
    const ac = new AbortController();
    ac.abort();
    await expect(b.execute(ok, ac.signal)).rejects.toBeInstanceOf(AbortedError);
    expect(b.state.kind).toBe("closed");
  });

  it("without timeoutMs, an abort mid-call settles the caller's promise at once (ABORTED)", async () => {
    const b = new CircuitBreaker({ name: "x", clock: new ManualClock(0), consecutiveFailures: 1 });
    const ac = new AbortController();
    let finish!: (v: string) => void;
    let innerAborted = false;
    const pending = b.execute((signal) => {
      signal.addEventListener("abort", () => {
        innerAborted = true;
      });
      return new Promise<string>((r) => {
        finish = r;
      });
    }, ac.signal);
    ac.abort(new Error("caller gave up"));
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
    expect(innerAborted).toBe(true);
    finish("late");
    expect(b.state.kind).toBe("closed"); // an abort says nothing about the dependency
    expect(b.status().totals.failures).toBe(0);
  });

  it("manual open holds until close; reset clears totals", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock);
    b.open();
    clock.advance(1e9);
    expect(b.state.kind).toBe("open");
    await expect(b.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(b.health().status).toBe("unhealthy");
    b.close();
    expect(b.state.kind).toBe("closed");
    expect(b.status().totals.rejections).toBe(1);
    b.reset();
    expect(b.status().totals).toEqual({ calls: 0, successes: 0, failures: 0, rejections: 0 });
    b.open(10);
    clock.advance(10);
    expect(b.state.kind).toBe("half-open");
  });

  it("ignores late outcomes of calls admitted before a transition", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock, { consecutiveFailures: 1 });
    let release!: () => void;
    const slow = b.execute(() => new Promise<void>((r) => (release = r)));
    await b.execute(boom).catch(() => {});
    expect(b.state.kind).toBe("open");
    release();
    await slow;
    expect(b.state.kind).toBe("open");
  });

  it("a throwing listener does not stop the others", async () => {
    const b = breaker(new ManualClock(0), { consecutiveFailures: 1 });
    const seen: string[] = [];
    b.onStateChange(() => {
      throw new Error("listener bug");
    });
    const sub = b.onStateChange((e) => seen.push(e.to));
    await b.execute(boom).catch(() => {});
    sub.dispose();
    b.close();
    expect(seen).toEqual(["open"]);
  });

  it("rejects unknown and invalid options naming them", () => {
    expect(() => new CircuitBreaker({ name: "x", consecutiveFailure: 3 } as never)).toThrow(
      /consecutiveFailure/,
    );
    let err: unknown;
    try {
      new CircuitBreaker({
        name: "x",
        failureRate: { threshold: 2, windowMs: 1, minimumCalls: 1 },
      });
    } catch (e) {
      err = e;
    }
    expect(isElixirScopeError(err, "INVALID_ARGUMENT")).toBe(true);
    expect(String((err as Error).message)).toMatch(/failureRate\.threshold/);
    expect(() => new CircuitBreaker({ name: "" })).toThrow(/name/);
  });

  it("admits exactly the probe limit while probes are in flight", async () => {
    const clock = new ManualClock(0);
    const b = breaker(clock, { halfOpenMaxProbes: 2 });
    for (let i = 0; i < 3; i++) await b.execute(boom).catch(() => {});
    clock.advance(1000);
    let started = 0;
    const hang = () => {
      started++;
      return new Promise<void>(() => {});
    };
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map(() => Promise.race([b.execute(hang), Promise.resolve("admitted")])),
    );
    expect(started).toBe(2);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(2);
  });

  it("property: a half-open breaker never admits more than its probe limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.oneof(
            fc.record({ t: fc.constant("call" as const), fail: fc.boolean() }),
            fc.record({ t: fc.constant("settle" as const), idx: fc.nat() }),
            fc.record({ t: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 600 }) }),
          ),
          { maxLength: 120 },
        ),
        async (probes, ops) => {
          const clock = new ManualClock(0);
          const b = new CircuitBreaker({
            name: "p",
            clock,
            consecutiveFailures: 2,
            resetTimeoutMs: 500,
            halfOpenMaxProbes: probes,
          });
          const pending: Array<{ fail: boolean; done: (fail: boolean) => void }> = [];
          let episode = -1;
          let admittedInEpisode = 0;
          let episodes = 0;
          b.onStateChange((e) => {
            if (e.to === "half-open") {
              episodes++;
              admittedInEpisode = 0;
            }
          });
          // Start from a tripped breaker that is due to probe, so every run exercises half-open.
          for (let i = 0; i < 2; i++)
            await b.execute(() => Promise.reject(new Error("trip"))).catch(() => {});
          clock.advance(500);
          expect(b.state.kind).toBe("half-open");
          for (const op of ops) {
            if (op.t === "tick") clock.advance(op.ms);
            else if (op.t === "settle") {
              const p = pending.splice(op.idx % Math.max(1, pending.length), 1)[0];
              if (p) {
                p.done(p.fail);
                await Promise.resolve();
                await Promise.resolve();
              }
            } else {
              const halfOpen = b.state.kind === "half-open";
              if (halfOpen && episode !== episodes) episode = episodes;
              let admitted = false;
              b.execute(
                () =>
                  new Promise<void>((resolve, reject) => {
                    admitted = true;
                    pending.push({
                      fail: op.fail,
                      done: (f) => (f ? reject(new Error("x")) : resolve()),
                    });
                  }),
              ).catch(() => {});
              if (halfOpen && admitted) admittedInEpisode++;
              if (admittedInEpisode > probes) return false;
            }
          }
          return episodes > 0;
        },
      ),
      { numRuns: 200 },
    );
  });
});
