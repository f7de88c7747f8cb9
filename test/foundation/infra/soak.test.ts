/**
 * Soak: thousands of concurrent protected calls against a flaky dependency with real timers for
 * INFRA_SOAK_MS (default 30 000 ms). The dependency has a hard outage in the middle. Asserts the
 * process stays within a memory bound, the breaker opens during the outage and closes after it,
 * and nothing leaks: the pool shrinks back to zero and no timer is left pending.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  ConnectionPool,
  HealthChecker,
  isElixirScopeError,
  MemoryManager,
  PerformanceMonitor,
  protect,
  RateLimiter,
  type StateChangeEvent,
  systemClock,
  type TimerClock,
  type TimerHandle,
} from "../../../src/foundation/index.js";
import { withSeed } from "../seed.js";

const DURATION_MS = Number(process.env.INFRA_SOAK_MS ?? 30_000);
const CONCURRENCY = Number(process.env.INFRA_SOAK_CONCURRENCY ?? 2000);
const HEAP_GROWTH_BOUND = 256 * 1024 * 1024;

/** The real clock, counting timers that are scheduled and have neither fired nor been cancelled. */
function countingClock(): TimerClock & { pending(): number } {
  let pending = 0;
  return {
    now: () => systemClock.now(),
    setTimeout(fn, ms): TimerHandle {
      let live = true;
      pending++;
      const handle = systemClock.setTimeout(() => {
        if (live) {
          live = false;
          pending--;
        }
        fn();
      }, ms);
      return {
        cancel() {
          if (live) {
            live = false;
            pending--;
          }
          handle.cancel();
        },
      };
    },
    pending: () => pending,
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("soak: protected calls against a flaky dependency", () => {
  it(
    `survives ${DURATION_MS} ms of ${CONCURRENCY} concurrent callers`,
    {
      timeout: DURATION_MS + 60_000,
    },
    () =>
      withSeed(async (random) => {
        setFlagsFromString("--expose-gc");
        const gc = runInNewContext("gc") as () => void;
        gc();
        const heapBase = process.memoryUsage().heapUsed;
        const clock = countingClock();
        const start = Date.now();
        const outageFrom = start + DURATION_MS * 0.4;
        const outageTo = start + DURATION_MS * 0.55;

        // The dependency: 0–4 ms latency, 5% failures, a total outage in the middle, and a
        // connection object per pooled resource.
        let openConnections = 0;
        const dependency = async (conn: { id: number }, signal: AbortSignal): Promise<number> => {
          await sleep(random() * 4);
          if (signal.aborted) throw signal.reason;
          const now = Date.now();
          if (now >= outageFrom && now < outageTo) throw new Error("503 service unavailable");
          if (random() < 0.05) throw new Error("connection reset");
          return conn.id;
        };

        let nextId = 0;
        const pool = new ConnectionPool({
          name: "soak-pool",
          factory: {
            create: async () => {
              await sleep(1);
              openConnections++;
              return { id: nextId++ };
            },
            destroy: async () => {
              openConnections--;
            },
          },
          max: 64,
          acquireTimeoutMs: 250,
          idleTimeoutMs: 500,
          reapIntervalMs: 100,
          clock,
        });
        const limiter = new RateLimiter({
          name: "soak-limit",
          algorithm: "token-bucket",
          // 50 clients × 120/s is under what two cores push through, so callers do get limited
          // even on a busy CI machine.
          rate: 120,
          intervalMs: 1000,
          burst: 40,
          clock,
        });
        const monitor = new PerformanceMonitor({ name: "soak", windowMs: 1000, clock });
        monitor.start();
        const memory = new MemoryManager({ name: "soak-mem", intervalMs: 500, clock });
        memory.start();
        const health = new HealthChecker({ name: "soak-health", clock });

        const call = protect(
          "flaky",
          {
            rateLimit: { limiter },
            circuitBreaker: {
              consecutiveFailures: 50,
              failureRate: { threshold: 0.5, windowMs: 1000, minimumCalls: 100 },
              resetTimeoutMs: 300,
              halfOpenMaxProbes: 5,
            },
            pool,
            timeoutMs: 20,
            retry: { attempts: 2, baseDelayMs: 2 },
            clock,
          },
          ({ resource, signal }) => dependency(resource, signal),
        );
        const breaker = call.breaker;
        if (!breaker) throw new Error("protect should own a breaker");
        health.registerComponent(breaker);
        health.registerComponent(pool);
        health.registerComponent(memory, { kind: "liveness" });
        const transitions: StateChangeEvent[] = [];
        breaker.onStateChange((e) => transitions.push(e));
        const op = monitor.operation("flaky");

        const outcomes = new Map<string, number>();
        let maxHeap = 0;
        const end = start + DURATION_MS;
        const worker = async (client: number): Promise<void> => {
          while (Date.now() < end) {
            const t0 = performance.now();
            try {
              await call({ key: `client-${client % 50}` });
              op.record(performance.now() - t0, true);
              outcomes.set("ok", (outcomes.get("ok") ?? 0) + 1);
            } catch (error) {
              op.record(performance.now() - t0, false);
              const code = isElixirScopeError(error) ? error.code : "dependency";
              outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
              // Callers back off a little on refusals, as real clients honouring retry-after would.
              if (code === "RATE_LIMITED" || code === "CIRCUIT_OPEN")
                await sleep(5 + random() * 10);
            }
          }
        };
        const sampler = setInterval(() => {
          maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
          void health.run("readiness");
        }, 250);
        await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i)));
        clearInterval(sampler);

        const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
        const snapshot = monitor.snapshot();
        console.log(
          `soak: ${total} calls in ${DURATION_MS} ms`,
          Object.fromEntries(outcomes),
          `breaker: ${transitions.map((t) => `${t.to}(${t.reason})`).join(" ")}`,
          `p99 ${snapshot.operations.flaky.total.p99} ms, max heap +${((maxHeap - heapBase) / 1e6).toFixed(1)} MB`,
        );

        expect(total).toBeGreaterThan(CONCURRENCY);
        expect(outcomes.get("ok") ?? 0).toBeGreaterThan(0);
        expect(outcomes.get("CIRCUIT_OPEN") ?? 0).toBeGreaterThan(0);
        expect(outcomes.get("RATE_LIMITED") ?? 0).toBeGreaterThan(0);
        const opened = transitions.findIndex((t) => t.to === "open");
        expect(opened).toBeGreaterThanOrEqual(0);
        expect(transitions.slice(opened).some((t) => t.to === "closed")).toBe(true);
        expect(breaker.state.kind).toBe("closed");
        expect(maxHeap - heapBase).toBeLessThan(HEAP_GROWTH_BOUND);

        // Quiet now: idle connections age out, the pool returns to zero, and no timer is pending.
        await sleep(1000);
        expect(pool.stats()).toMatchObject({ size: 0, borrowed: 0, waiting: 0 });
        expect(openConnections).toBe(0);
        await monitor.stop();
        await memory.stop();
        await sleep(50);
        expect(clock.pending()).toBe(0);
        await pool.close({ timeoutMs: 1000 });
        gc();
        expect(process.memoryUsage().heapUsed - heapBase).toBeLessThan(64 * 1024 * 1024);
      }),
  );
});
